// Where the browser tests put their screenshots. `npm test` writes them to the git-ignored
// test/.artifacts/screenshots, so a test run never changes tracked files; `npm run screenshots` sets
// JOBSIM_SCREENSHOTS_DIR to docs/screenshots to refresh the pictures the README shows.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The folder for screenshots, created when missing. */
export function screenshotDir(): string {
  const dir = path.resolve(root, process.env.JOBSIM_SCREENSHOTS_DIR ?? path.join('test', '.artifacts', 'screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The path of one named screenshot. */
export function screenshotPath(name: string): string {
  return path.join(screenshotDir(), name);
}
