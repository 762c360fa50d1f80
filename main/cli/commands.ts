// The table of CLI commands. Each command lives in its own file and exports a CliCommand.

import type { CliCommand } from './command.js';
import { cacheCommand } from './cache.js';
import { doctorCommand } from './doctor.js';
import { serveCommand } from './serve.js';
import { gcCommand } from './gc.js';
import { listCommand } from './list.js';
import { planCommand } from './plan.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { imageCommand } from './image.js';


export const commands: CliCommand[] = [doctorCommand, cacheCommand, listCommand, planCommand, imageCommand, runCommand, runsCommand, gcCommand, serveCommand];
