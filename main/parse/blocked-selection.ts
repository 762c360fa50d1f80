// Jobs named on the command line (or picked in the UI) that jobsim cannot run here: refused with their
// reason before anything is created, or — for a job that only lacks a Linux image (`needs-runner`,
// `needs-image`) — run in `--default-image` when the user gives one, with a warning.

import { parseImageRef } from '../../shared/image-ref.js';
import type { ImagePlan, JobPlan, ParseWarning, PipelinePlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { pullPlan } from './images.js';

export interface NamedSelection {
  jobs: JobPlan[];
  /** Jobs run in `--default-image` instead of the runner they were written for. */
  warnings: ParseWarning[];
}

export function runnableNamedJobs(plan: PipelinePlan, selected: readonly JobPlan[], defaultImage: string | undefined): NamedSelection {
  const refused = selected.filter((j) => j.blocked && !(defaultImage && j.blocked.kind !== 'broken'));
  if (refused.length > 0) {
    throw new InputError(
      refused.map((j) => ({
        message: `job "${j.name}" cannot run here: ${j.blocked!.message}${j.blocked!.kind === 'needs-runner' ? ' (`--default-image REF` runs it in a Linux image anyway)' : ''}`,
        ...(j.blocked!.kind === 'broken' && j.blocked!.where ? { where: j.blocked!.where } : {}),
      })),
    );
  }
  const warnings: ParseWarning[] = [];
  const jobs = selected.map((j) => {
    if (!j.blocked || !defaultImage) return j;
    warnings.push({ message: `job "${j.name}" ${j.blocked.message}: running it in ${defaultImage} (--default-image) as asked; commands written for that runner may fail`, where: j.where });
    return inImage(j, imagePlan(defaultImage, plan));
  });
  return { jobs, warnings };
}

function imagePlan(ref: string, plan: PipelinePlan): ImagePlan {
  return { ref: parseImageRef(ref), pull: pullPlan(undefined, { runner: plan.runner, runnerSetPullPolicy: plan.runner.file !== undefined }) };
}

function inImage(job: JobPlan, image: ImagePlan): JobPlan {
  const { blocked: _unblocked, ...rest } = job;
  return {
    ...rest,
    image,
    variables: job.variables.map((v) => (v.key === 'CI_JOB_IMAGE' ? { ...v, value: image.ref.written } : v)),
  };
}
