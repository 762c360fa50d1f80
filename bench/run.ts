// `npm run bench`: the overhead benchmark (bench/overhead.ts). The cache benchmark runs on its own:
// `npx tsx bench/cache.ts`.
//
//   npm run bench -- [--reps N] [--write]

import { runOverhead } from './overhead.js';

await runOverhead(process.argv.slice(2));
