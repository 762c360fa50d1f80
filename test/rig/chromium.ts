// Debian's chromium, for the UI tests (driven through playwright-core).

import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './constants.js';

/** The Debian package to install when chromium is missing, or nothing. */
export function missingChromiumPackages(): string[] {
  return existsSync(CHROMIUM_PATH) ? [] : ['chromium'];
}
