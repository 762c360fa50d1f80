// Saving secrets from the UI to the project's `.jobsim/secrets.env`, the file `jobsim run` reads by
// default. The folder gets its own `.gitignore` so the file can never be committed by accident.
// The caller has checked that the project folder exists and is the open project (open-projects.ts);
// here nothing is followed through a symlink: not `.jobsim`, not the files in it.

import { constants } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { parseDotenv } from '../parse/secrets-file.js';

export const SECRETS_FILE = path.join('.jobsim', 'secrets.env');

// O_NONBLOCK: a FIFO planted under the name fails at once instead of hanging the save.
const NO_FOLLOW = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A dotenv value in double quotes, so spaces, `#` and newlines survive. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function refused(file: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'EMLINK') throw new InputError(`${file} is a symlink: jobsim does not follow it to save secrets`);
  if (code === 'ENXIO') throw new InputError(`${file} is not a regular file: nothing was saved`);
  throw error;
}

/** Opens an existing regular file (or creates it), never through a symlink or another name of a file elsewhere (a hard link). */
async function openPlainFile(file: string, flags: number, mode?: number): Promise<FileHandle> {
  const handle = await open(file, flags | NO_FOLLOW, mode).catch((error: unknown) => refused(file, error));
  const info = await handle.stat();
  if (!info.isFile() || info.nlink > 1) {
    await handle.close();
    throw new InputError(`${file} is not a regular file of this project (${info.isFile() ? 'a hard link' : 'not a file'}): nothing was saved`);
  }
  return handle;
}

async function writePlainFile(file: string, text: string, mode: number): Promise<void> {
  const handle = await openPlainFile(file, constants.O_WRONLY | constants.O_CREAT, mode);
  try {
    await handle.truncate(0);
    await handle.writeFile(text);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

async function readExisting(file: string): Promise<Record<string, string>> {
  let handle: FileHandle;
  try {
    handle = await openPlainFile(file, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return parseDotenv(file, await handle.readFile('utf8'));
  } finally {
    await handle.close();
  }
}

/** The project's `.jobsim` folder, made if missing; refused when it is a symlink or not a folder. */
async function jobsimFolder(projectDir: string): Promise<string> {
  const dir = path.join(projectDir, '.jobsim');
  let info = await lstat(dir).catch(() => undefined);
  if (!info) {
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    info = await lstat(dir);
  }
  if (info.isSymbolicLink()) throw new InputError(`${dir} is a symlink: jobsim does not follow it to save secrets`);
  if (!info.isDirectory()) throw new InputError(`${dir} is not a folder: nothing was saved`);
  return dir;
}

export async function saveSecrets(projectDir: string, secrets: Record<string, string>): Promise<{ file: string }> {
  if (!path.isAbsolute(projectDir)) throw new InputError(`the project folder must be an absolute path, not "${projectDir}"`);
  const dir = await jobsimFolder(projectDir);
  const file = path.join(dir, 'secrets.env');
  await writePlainFile(path.join(dir, '.gitignore'), '# Written by jobsim: nothing in this folder belongs in git.\n*\n', 0o644);
  const merged = { ...(await readExisting(file)), ...secrets };
  const body = Object.entries(merged).map(([key, value]) => `${key}=${quote(value)}`).join('\n');
  await writePlainFile(file, `# Secrets for jobsim runs of this project (masked in every log). Not in git.\n${body}\n`, 0o600);
  return { file };
}
