// `jobsim doctor [--json]`: which Docker engine jobsim would use, whether it answers, and what to do.
// Exit 0 when the engine answers, 2 when it does not.

import { parseArgs } from 'node:util';
import { endpointInputs } from '../docker/client.js';
import { diagnoseDocker, formatDoctorReport } from '../docker/doctor.js';
import { endpointTrail } from '../docker/endpoint.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'which Docker engine jobsim uses, whether it answers, what to do if not',
  async run(args) {
    let json = false;
    try {
      json = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: false }).values.json;
    } catch (error) {
      throw new UsageError(`doctor: ${error instanceof Error ? error.message : String(error)}`);
    }
    const report = await diagnoseDocker();
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(formatDoctorReport(report, endpointTrail(endpointInputs())));
    return report.reachable ? 0 : 2;
  },
};
