// The project folders this API has opened (openProject answered with a plan). Writing into a project
// (the secrets file) is allowed only there: a page must not make jobsim write into any folder it names.

import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';

export class OpenProjects {
  private readonly folders = new Set<string>();

  async remember(projectDir: string): Promise<void> {
    const real = await realpath(projectDir).catch(() => undefined);
    if (real) this.folders.add(real);
  }

  /** The folder's real path when it exists and was opened; an InputError otherwise. */
  async require(projectDir: string, forWhat: string): Promise<string> {
    if (!path.isAbsolute(projectDir)) throw new InputError(`the project folder must be an absolute path, not "${projectDir}"`);
    const real = await realpath(projectDir).catch(() => undefined);
    const info = real ? await stat(real).catch(() => undefined) : undefined;
    if (!real || !info?.isDirectory()) throw new InputError(`the project folder ${projectDir} does not exist: nothing was saved`);
    if (!this.folders.has(real)) throw new InputError(`${forWhat} can be saved only in the project that is open, not in ${projectDir}`);
    return real;
  }
}
