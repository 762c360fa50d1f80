// A rerun's changes to one job, applied to the parsed plan before the run starts: a replaced `script`,
// or a local image (a commit of a kept container) in place of the job's image.

import { parseImageRef } from '../../shared/image-ref.js';
import type { ImagePlan, JobPlan, PipelinePlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';

export interface JobOverrides {
  job: string;
  /** Replaces the job's `script`, one command per entry. */
  script?: string[];
  /** A local image to run the job from; `label` says where it came from (shown in the job log). */
  image?: { imageId: string; label: string };
}

/** The image plan of a local image: referenced by ID and never pulled, whatever the runner allows. */
export function localImagePlan(imageId: string, base: ImagePlan): ImagePlan {
  return {
    ref: parseImageRef(imageId),
    ...(base.entrypoint !== undefined ? { entrypoint: base.entrypoint } : {}),
    ...(base.user !== undefined ? { user: base.user } : {}),
    // An image that exists only on this engine can only be used with `never`: the runner's
    // allowed_pull_policies are about registry pulls, which this never does.
    pull: { policies: ['never'], source: 'job-file', allowed: ['never'], allowedSource: 'default' },
  };
}

/** The plan with the overridden job replaced (the CI file may have changed since the run being redone). */
export function applyOverrides(plan: PipelinePlan, overrides: JobOverrides | undefined): PipelinePlan {
  if (!overrides) return plan;
  const index = plan.jobs.findIndex((job) => job.name === overrides.job);
  const original = plan.jobs[index];
  if (!original) throw new InputError(`cannot change job "${overrides.job}": the CI file has no such job (jobs: ${plan.jobs.map((j) => j.name).join(', ')})`);
  const changed: JobPlan = {
    ...original,
    ...(overrides.script ? { script: overrides.script } : {}),
    ...(overrides.image ? { image: localImagePlan(overrides.image.imageId, original.image) } : {}),
  };
  return { ...plan, jobs: plan.jobs.map((job, i) => (i === index ? changed : job)) };
}

/** Runner log lines that say, at the start of the job, what the rerun changed. */
export function overrideNotes(overrides: JobOverrides | undefined): Map<string, string[]> {
  const notes = new Map<string, string[]>();
  if (!overrides) return notes;
  const lines: string[] = [];
  if (overrides.script) lines.push(`Rerun: the job's script is replaced (${overrides.script.length} command${overrides.script.length === 1 ? '' : 's'})`);
  if (overrides.image) lines.push(`Rerun: running from ${overrides.image.label} (image ${overrides.image.imageId}) instead of the job's image`);
  if (lines.length > 0) notes.set(overrides.job, lines);
  return notes;
}
