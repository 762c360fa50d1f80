// The engine named on the command line (`--engine ADDRESS`, `--context NAME`), set once by the CLI before
// any command runs; every connection made in this process honours it (see endpoint.ts for the order).

import type { EngineChoice } from './endpoint.js';

let chosen: EngineChoice = {};

export function chooseEngine(choice: EngineChoice): void {
  chosen = { ...choice };
}

export function engineChoice(): EngineChoice {
  return chosen;
}
