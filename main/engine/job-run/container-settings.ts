// What a job's containers are created with: image, entrypoint mode, environment, mounts and the runner's
// container settings. The build and the after_script containers share it.

import type { JobPlan } from '../../../shared/plan.js';
import type { ScriptContainerSpec } from '../../docker/script-container.js';
import type { ContainerMount, ResolvedImage } from '../contracts.js';
import { DETECT_SHELL } from './script.js';

export interface ContainerSettingsInput {
  job: JobPlan;
  image: ResolvedImage;
  name: string;
  labels: Record<string, string>;
  network?: string;
  mounts: ContainerMount[];
  /** Added to the job's variables (e.g. CI_BUILD_NETWORK_NAME). */
  extraEnv?: string[];
}

/**
 * The image's ENTRYPOINT is kept (it must `exec "$@"`, as with GitLab), unless the job overrides it
 * (`image:entrypoint`, `[""]` clears it), the runner forbids overrides (disable_entrypoint_overwrite),
 * or the runner ignores the image's ENTRYPOINT and CMD altogether (ignore_image_entrypoint).
 */
export function entrypointFor(job: JobPlan): { entrypoint?: string[]; note?: string } {
  if (job.docker.ignoreImageEntrypoint) return { entrypoint: [], note: "Ignoring the image's ENTRYPOINT and CMD (ignore_image_entrypoint)" };
  if (job.image.entrypoint === undefined) return {};
  if (job.docker.disableEntrypointOverwrite) return { note: 'Entrypoint override disabled' };
  return { entrypoint: job.image.entrypoint };
}

export function scriptContainerSpec(input: ContainerSettingsInput): ScriptContainerSpec {
  const { job } = input;
  const { entrypoint } = entrypointFor(job);
  return {
    name: input.name,
    imageId: input.image.imageId,
    ...(entrypoint !== undefined ? { entrypoint } : {}),
    cmd: DETECT_SHELL,
    env: [...job.variables.map((v) => `${v.key}=${v.value}`), ...(input.extraEnv ?? [])],
    labels: input.labels,
    workingDir: job.projectDirInContainer,
    user: job.docker.user ?? job.image.user,
    network: input.network ?? job.docker.networkMode,
    networkAliases: input.network ? ['build'] : undefined,
    mounts: input.mounts,
    tmpfs: job.docker.tmpfs,
    privileged: job.docker.privileged,
    memoryBytes: job.docker.memoryBytes,
    cpus: job.docker.cpus,
    shmSizeBytes: job.docker.shmSizeBytes,
    capAdd: job.docker.capAdd,
    capDrop: job.docker.capDrop,
    extraHosts: job.docker.extraHosts,
    dns: job.docker.dns,
  };
}
