// The runner's `volumes`: bind mounts as written, and `/path` entries as one persistent volume per
// project and path, named so a user recognises it in `docker volume ls`.

import { createHash } from 'node:crypto';
import type { JobPlan } from '../../../shared/plan.js';
import type { DockerHandle } from '../../docker/client.js';
import { createVolume } from '../../docker/job-objects.js';
import { LABELS, nameSlug } from '../../docker/resource-labels.js';
import type { ContainerMount } from '../contracts.js';

export function runnerVolumeName(projectPath: string, containerPath: string): string {
  const hash = createHash('sha256').update(`${projectPath}\0${containerPath}`).digest('hex').slice(0, 8);
  return `jobsim-runner-${nameSlug(projectPath, 40)}-${nameSlug(containerPath, 30)}-${hash}`;
}

export async function runnerVolumeMounts(docker: DockerHandle, job: JobPlan, projectPath: string): Promise<{ mounts: ContainerMount[]; persistent: string[] }> {
  const mounts: ContainerMount[] = [];
  const persistent: string[] = [];
  for (const volume of job.docker.volumes) {
    if (volume.kind === 'bind') {
      mounts.push({ type: 'bind', source: volume.hostPath, target: volume.containerPath, readOnly: volume.readOnly });
      continue;
    }
    const name = runnerVolumeName(projectPath, volume.containerPath);
    try {
      await createVolume(docker, name, {
        [LABELS.managed]: 'true',
        [LABELS.persist]: 'true',
        [LABELS.kind]: 'runner-volume',
        'dev.jobsim.project': projectPath,
        'dev.jobsim.path': volume.containerPath,
      });
    } catch (error) {
      // 409: it exists from an earlier run, which is the point of a persistent volume.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
    mounts.push({ type: 'volume', source: name, target: volume.containerPath, readOnly: false });
    persistent.push(name);
  }
  return { mounts, persistent };
}
