// The shape readRunnerConfig() returns (main/parse/runner-config.ts), named for the job builder.

import type { readRunnerConfig } from './runner-config.js';

export type RunnerConfig = Awaited<ReturnType<typeof readRunnerConfig>>;
