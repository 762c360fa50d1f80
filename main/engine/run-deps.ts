// The real engine parts behind startRun(): the Docker connection, the orphan reaper and the job runner.

import { connectDocker } from '../docker/client.js';
import { reapOrphans } from './reaper.js';
import type { RunDependencies } from './run.js';
import { runJob } from './run-one-job.js';

export function realDependencies(): RunDependencies {
  return {
    connect: async () => (await connectDocker()).docker,
    reapOrphans: (docker) => reapOrphans(docker),
    runJob,
  };
}
