// The layering docs/architecture.md promises, checked on every import in the tree: shared/ stands alone,
// only main/docker/ talks to dockerode, only main/electron/ to Electron, the engine knows no host, the run
// history sits below the engine, and the renderer reaches the rest of jobsim only through shared/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(name) ? [relative] : [];
  });
}

interface Import {
  file: string;
  /** The package name, or the imported file relative to the root for a relative import. */
  target: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
  return specifiers.map((specifier) => ({
    file,
    target: specifier.startsWith('.') ? path.normalize(path.join(path.dirname(file), specifier)) : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'),
  }));
}

const all = ['main', 'shared', 'renderer/src'].flatMap(sourceFiles).flatMap(importsOf);
const under = (prefix: string) => (name: string): boolean => name === prefix || name.startsWith(`${prefix}/`);
const offenders = (from: (file: string) => boolean, to: (target: string) => boolean): string[] =>
  all.filter((i) => from(i.file) && to(i.target)).map((i) => `${i.file} → ${i.target}`);

describe('the layers', () => {
  it('shared/ imports only shared/ (no Node, DOM or Electron)', () => {
    expect(offenders(under('shared'), (t) => !under('shared')(t))).toEqual([]);
  });

  it('only main/docker/ imports dockerode', () => {
    expect(offenders((f) => !under('main/docker')(f), (t) => t === 'dockerode')).toEqual([]);
  });

  it('only main/electron/ imports electron', () => {
    expect(offenders((f) => !under('main/electron')(f), (t) => t === 'electron')).toEqual([]);
  });

  it('the engine, the parser and the history import no host (CLI, server, app, Electron)', () => {
    const hosts = (t: string): boolean => ['main/cli', 'main/server', 'main/app', 'main/electron'].some((h) => under(h)(t)) || t === 'main/cli.js';
    expect(offenders((f) => ['main/engine', 'main/parse', 'main/history', 'main/docker'].some((p) => under(p)(f)), hosts)).toEqual([]);
  });

  it('the run history sits below the engine: main/history never imports main/engine', () => {
    expect(offenders(under('main/history'), under('main/engine'))).toEqual([]);
  });

  it('the renderer reaches jobsim only through shared/', () => {
    expect(offenders(under('renderer/src'), (t) => under('main')(t))).toEqual([]);
  });
});
