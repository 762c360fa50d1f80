import { describe, expect, it } from 'vitest';
import { ArtifactSelector, archiveRoots, checkArtifactPattern, symlinkTargetInside, type ArtifactPattern } from '../../../main/engine/artifacts/paths.js';

const PROJECT = '/builds/group/app';

function pattern(written: string): ArtifactPattern {
  const check = checkArtifactPattern(written, PROJECT);
  if (!check.ok) throw new Error(check.warning);
  return check.pattern;
}

/** Feeds a walk (directories before their contents) through a selector and returns what it kept. */
function walk(paths: string[], excludes: string[], entries: string[]): { kept: string[]; selector: ArtifactSelector } {
  const selector = new ArtifactSelector(paths.map(pattern), excludes.map(pattern));
  const kept = entries.filter((entry) => selector.select(entry.replace(/\/$/, ''), entry.endsWith('/')));
  return { kept: kept.map((entry) => entry.replace(/\/$/, '')), selector };
}

const TREE = ['out/', 'out/app.bin', 'out/logs/', 'out/logs/a.log', 'out/.hidden', 'src/', 'src/main.c', 'report.txt', 'notes.txt'];

describe('artifact patterns', () => {
  it('normalises relative and absolute-inside paths', () => {
    expect(pattern('./out/').relative).toBe('out');
    expect(pattern(`${PROJECT}/out`).relative).toBe('out');
    expect(pattern('.').relative).toBe('**');
  });

  it('refuses paths outside the build directory with GitLab’s warning', () => {
    for (const written of ['../secret', '/etc/passwd', 'out/../../x', '/builds/group/other']) {
      expect(checkArtifactPattern(written, PROJECT)).toEqual({ ok: false, written, warning: `${written}: not supported: outside build directory` });
    }
  });

  it('brings the whole subtree of a matched directory, dot files included', () => {
    expect(walk(['out'], [], TREE).kept).toEqual(['out', 'out/app.bin', 'out/logs', 'out/logs/a.log', 'out/.hidden']);
  });

  it('matches single-level globs and ** globs', () => {
    expect(walk(['*.txt'], [], TREE).kept).toEqual(['report.txt', 'notes.txt']);
    expect(walk(['**/*.log'], [], TREE).kept).toEqual(['out/logs/a.log']);
  });

  it('applies exclude to files and to whole directories, and counts both sides', () => {
    const { kept, selector } = walk(['out', '*.txt'], ['out/logs', 'notes.txt'], TREE);
    expect(kept).toEqual(['out', 'out/app.bin', 'out/.hidden', 'report.txt']);
    expect([...selector.found.values()]).toEqual([3, 1]);
    // out/logs and out/logs/a.log; notes.txt
    expect([...selector.excluded.values()]).toEqual([2, 1]);
  });

  it('counts every entry of a deep selected or excluded subtree', () => {
    const deep = ['big/'];
    for (let i = 0; i < 200; i += 1) deep.push(`big/d${i}/`, `big/d${i}/f`);
    const { kept, selector } = walk(['big'], ['big/d1'], deep);
    expect(kept).toHaveLength(1 + 199 * 2);
    expect([...selector.excluded.values()]).toEqual([2]);
  });

  it('reports zero for a pattern that matches nothing', () => {
    const { selector } = walk(['missing/**'], [], TREE);
    expect([...selector.found.values()]).toEqual([0]);
  });
});

describe('archive roots', () => {
  it('streams only the top-level entries literal prefixes name', () => {
    expect(archiveRoots(['dist/', 'out/logs/**/*.log', 'report.txt', 'out/bin'].map(pattern))).toEqual(['dist', 'out', 'report.txt']);
  });

  it('needs the whole project dir when a pattern starts with a glob', () => {
    expect(archiveRoots(['dist', '*.txt'].map(pattern))).toBeUndefined();
    expect(archiveRoots(['**/coverage'].map(pattern))).toBeUndefined();
    expect(archiveRoots(['.'].map(pattern))).toBeUndefined();
  });
});

describe('symlink targets', () => {
  it('keeps links that stay inside the project dir, as relative links', () => {
    expect(symlinkTargetInside('out/current', 'app.bin', PROJECT)).toBe('app.bin');
    expect(symlinkTargetInside('out/current', `${PROJECT}/src/main.c`, PROJECT)).toBe('../src/main.c');
    expect(symlinkTargetInside('link', '../app/src', PROJECT)).toBe('src');
  });

  it('refuses links that leave it', () => {
    expect(symlinkTargetInside('etc', '/etc', PROJECT)).toBeUndefined();
    expect(symlinkTargetInside('out/up', '../../x', PROJECT)).toBeUndefined();
    expect(symlinkTargetInside('sibling', '../other/file', PROJECT)).toBeUndefined();
  });
});
