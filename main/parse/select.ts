// Picking jobs by name for `jobsim run JOB...` / `plan JOB`, optionally with everything they need.

import type { JobPlan, PipelinePlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { isUnreadableIncludeWarning } from './include.js';
import { didYouMean } from './suggestions.js';

/**
 * Jobs in file order. The written name of a `parallel:` job (`test`) picks all its instances (`test 1/3`, …).
 * Unknown names → InputError with a did-you-mean and the list of jobs.
 */
export function selectJobs(plan: PipelinePlan, written: string[], withNeeds: boolean): JobPlan[] {
  const byName = new Map(plan.jobs.map((j) => [j.name, j]));
  const names = written.flatMap((name) => {
    if (byName.has(name)) return [name];
    const instances = plan.jobs.filter((j) => j.parallel?.job === name).map((j) => j.name);
    return instances.length > 0 ? instances : [name];
  });
  const all = plan.jobs.map((j) => j.name);
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    // A job missing while an include could not be read is most likely in that include: say so, with how to provide it.
    const unreadIncludes = plan.warnings.filter((w) => isUnreadableIncludeWarning(w.message)).map((w) => w.message);
    const hint = unreadIncludes.length > 0 ? `; it may be defined in an include that cannot be read: ${unreadIncludes.join('; ')}` : '';
    throw new InputError(unknown.map((n) => ({ message: `unknown job "${n}"${didYouMean(n, all)} (jobs: ${all.join(', ')})${hint}` })));
  }
  const chosen = new Set(names);
  if (withNeeds) {
    const queue = [...names];
    while (queue.length > 0) {
      const job = byName.get(queue.pop()!)!;
      for (const need of requiredJobs(job, plan)) {
        if (!chosen.has(need)) {
          chosen.add(need);
          queue.push(need);
        }
      }
    }
  }
  return plan.jobs.filter((j) => chosen.has(j.name));
}

/** `needs` when the job has them; otherwise every job of an earlier stage (GitLab's stage order). */
function requiredJobs(job: JobPlan, plan: PipelinePlan): string[] {
  if (job.needs) return job.needs.filter((n) => plan.jobs.some((j) => j.name === n.job)).map((n) => n.job);
  return plan.jobs.filter((j) => j.stageIndex < job.stageIndex).map((j) => j.name);
}
