// The real engine parts behind startRun(): the Docker connection, the orphan reaper and the job runner.

import { connectDocker } from '../docker/client.js';
import { reapOrphans } from './reaper.js';
import type { DockerHandle } from '../docker/client.js';
import type { RunJobFn } from './contracts.js';
import { runJob } from './run-one-job.js';

/** The parts of the engine the launcher drives; the CLI and app use realDependencies(). */
export interface RunDependencies {
  connect(): Promise<DockerHandle>;
  reapOrphans(docker: DockerHandle): Promise<unknown>;
  runJob: RunJobFn;
  env?: NodeJS.ProcessEnv;
}

export function realDependencies(): RunDependencies {
  return {
    connect: async () => (await connectDocker()).docker,
    reapOrphans: (docker) => reapOrphans(docker),
    runJob,
  };
}
