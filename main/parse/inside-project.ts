// "Inside the project" judged on real paths: a symlink in the project that leads out of it (to
// /etc/shadow, to another checkout) is not inside, whatever its own name says. Files that fail this are
// never read, so no message can quote what they hold.

import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

export type Resolved = { kind: 'inside'; real: string } | { kind: 'outside'; real: string } | { kind: 'missing' };

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !rel.startsWith('..\\') && !isAbsolute(rel));
}

/** Where `path` (relative to the project, or absolute) really is, following every symlink on the way. */
export function resolveInProject(projectDir: string, path: string): Resolved {
  let root: string;
  let real: string;
  try {
    root = realpathSync(projectDir);
    real = realpathSync(resolve(projectDir, path));
  } catch {
    return { kind: 'missing' };
  }
  return within(root, real) ? { kind: 'inside', real } : { kind: 'outside', real };
}

/** The words every refusal uses: names the path as written and where it leads, never its content. */
export function outsideMessage(what: string, written: string, real: string): string {
  return `${what} "${written}" leads (through a symlink) to ${real}, which is outside the project directory; it is not read`;
}
