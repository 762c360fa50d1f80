#!/usr/bin/env node
// Thin loader: the CLI is bundled into dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('jobsim: dist/cli.js is missing; run `npm install` (or `npm run build`) in the jobsim folder first.\n');
  process.exit(2);
}
await import(cli);
