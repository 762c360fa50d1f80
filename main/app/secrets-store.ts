// Saving secrets from the UI to the project's `.jobsim/secrets.env`, the file `jobsim run` reads by
// default. The folder gets its own `.gitignore` so the file can never be committed by accident.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { parseDotenv } from '../parse/secrets-file.js';

export const SECRETS_FILE = path.join('.jobsim', 'secrets.env');

/** A dotenv value in double quotes, so spaces, `#` and newlines survive. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export async function saveSecrets(projectDir: string, secrets: Record<string, string>): Promise<{ file: string }> {
  if (!path.isAbsolute(projectDir)) throw new InputError(`the project folder must be an absolute path, not "${projectDir}"`);
  const dir = path.join(projectDir, '.jobsim');
  const file = path.join(projectDir, SECRETS_FILE);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '# Written by jobsim: nothing in this folder belongs in git.\n*\n');
  const existing = await readFile(file, 'utf8').then((text) => parseDotenv(file, text), () => ({}));
  const merged = { ...existing, ...secrets };
  const body = Object.entries(merged).map(([key, value]) => `${key}=${quote(value)}`).join('\n');
  await writeFile(file, `# Secrets for jobsim runs of this project (masked in every log). Not in git.\n${body}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { file };
}
