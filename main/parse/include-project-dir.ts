// `include:project` from a local checkout named with `--project-dir group/name=PATH`: with `ref:` and a git
// repository, the file as committed at that ref (`git show REF:path`, then origin/REF); otherwise the
// working tree (with a warning when a ref was asked for).

import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import type { Fetched } from './include-fetched.js';
import { resolveInProject } from './inside-project.js';
import { MAX_FILE_BYTES } from './yaml-source.js';

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, ...args], { timeout: 10_000, maxBuffer: MAX_FILE_BYTES, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

export async function readProjectDirFile(project: string, dir: string, file: string, ref: string | undefined): Promise<Fetched> {
  const relative = file.replace(/^\/+/, '');
  const missing: Fetched = { kind: 'error', message: `Project \`${project}\` file \`${file}\` does not exist!` };
  if (relative === '' || relative.split('/').includes('..')) return missing;
  const isRepo = (await git(dir, ['rev-parse', '--is-inside-work-tree']))?.trim() === 'true';
  if (ref !== undefined && isRepo) {
    if (ref.startsWith('-')) return { kind: 'error', message: `Project \`${project}\` reference \`${ref}\` does not exist!` };
    for (const candidate of [ref, `origin/${ref}`]) {
      const commit = (await git(dir, ['rev-parse', '--verify', '-q', `${candidate}^{commit}`]))?.trim();
      if (!commit) continue;
      const text = await git(dir, ['show', `${commit}:${relative}`]);
      return text === undefined ? missing : { kind: 'file', text };
    }
    return { kind: 'error', message: `Project \`${project}\` reference \`${ref}\` does not exist!` };
  }
  const resolved = resolveInProject(dir, relative);
  if (resolved.kind !== 'inside') return missing;
  const info = await stat(resolved.real).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_FILE_BYTES) return missing;
  const text = await readFile(resolved.real, 'utf8');
  const warning = ref !== undefined ? `${dir} is not a git repository: reading its working tree, not ref ${ref}` : undefined;
  return { kind: 'file', text, ...(warning ? { warning } : {}) };
}
