// Which files to read: the CI file (`--file`, else .gitlab-ci.yml, else .alloy-ci.json) and the
// runner config (`--runner-config`, else ~/.config/jobsim/config.toml when present).

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { outsideMessage, resolveInProject } from './inside-project.js';

export const CI_FILE_NAMES = ['.gitlab-ci.yml', '.alloy-ci.json'];

export interface FoundFile {
  path: string;
  /** Shown in messages: relative to the project when inside it. */
  display: string;
}

export function displayPath(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function findCiFile(projectDir: string, file: string | undefined): FoundFile {
  if (file) {
    const path = resolve(projectDir, file);
    if (!existsSync(path)) throw new InputError(`CI file ${file} not found (looked in ${projectDir})`);
    const display = displayPath(projectDir, path);
    // A file named outside the project is the user's own choice; one inside by name must be inside for real.
    if (display !== path) refuseIfOutside(projectDir, display);
    return { path, display };
  }
  for (const name of CI_FILE_NAMES) {
    const path = join(projectDir, name);
    if (existsSync(path)) {
      refuseIfOutside(projectDir, name);
      return { path, display: name };
    }
  }
  throw new InputError(`no CI file in ${projectDir}: expected ${CI_FILE_NAMES.join(' or ')} (or pass --file)`);
}

function refuseIfOutside(projectDir: string, name: string): void {
  const resolved = resolveInProject(projectDir, name);
  if (resolved.kind === 'outside') throw new InputError(outsideMessage('CI file', name, resolved.real));
}

export function findRunnerConfig(projectDir: string, written: string | undefined, homeDir = homedir()): string | undefined {
  if (written) {
    const path = resolve(projectDir, written);
    if (!existsSync(path)) throw new InputError(`runner config ${written} not found`);
    return path;
  }
  const path = join(homeDir, '.config', 'jobsim', 'config.toml');
  return existsSync(path) ? path : undefined;
}
