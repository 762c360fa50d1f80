// The API's debugging tools: failed jobs kept for debugging (list, release) and shells into kept or
// running jobs. The lead wires them into both hosts (main/app/index.ts).

import type { JobsimApi } from '../../shared/api.js';
import { connectDocker } from '../docker/client.js';
import { listKeptJobs, releaseExpiredKept, releaseKeptJob, type KeptRecord } from '../engine/debug/kept-store.js';
import { openShellSession } from '../engine/debug/shell.js';

/** The API shows a kept job without the store's internals (committed image, masked variable names). */
function publicView({ image: _image, maskedVariables: _masked, ...job }: KeptRecord) {
  return job;
}

export function createDebugTools(): Pick<JobsimApi, 'listKept' | 'releaseKept' | 'openShell'> {
  return {
    async listKept() {
      await releaseExpiredKept((await connectDocker()).docker);
      return (await listKeptJobs()).map(publicView);
    },
    async releaseKept(runId, job) {
      await releaseKeptJob((await connectDocker()).docker, runId, job);
    },
    openShell(target, size, onOutput) {
      return openShellSession(connectDocker().then((c) => c.docker), target, size, onOutput);
    },
  };
}
