// The table of CLI commands. Each command lives in its own file and exports a CliCommand.

import type { CliCommand } from './command.js';
import { cacheCommand } from './cache.js';
import { compareCommand } from './compare.js';
import { doctorCommand } from './doctor.js';
import { serveCommand } from './serve.js';
import { gcCommand } from './gc.js';
import { listCommand } from './list.js';
import { planCommand } from './plan.js';
import { runCommand } from './run.js';
import { rerunCommand } from './rerun.js';
import { runsCommand } from './runs.js';
import { imageCommand } from './image.js';
import { keptCommand } from './kept.js';
import { shellCommand } from './shell.js';


export const commands: CliCommand[] = [doctorCommand, cacheCommand, listCommand, planCommand, imageCommand, runCommand, rerunCommand, runsCommand, compareCommand, shellCommand, keptCommand, gcCommand, serveCommand];
