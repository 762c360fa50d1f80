// The plan as the UI gets it: it crosses to the renderer (and, with `jobsim serve`, to a browser), so a
// masked variable's value reads [MASKED] and the secrets are masked wherever else they landed (a cache
// key, a script line), as in `jobsim plan`.

import { createMasker, MASK, maskDeep } from '../../shared/masking.js';
import type { PipelinePlan } from '../../shared/plan.js';
import { secretValues } from '../engine/secret-values.js';

export function maskedPlan(plan: PipelinePlan): PipelinePlan {
  const jobs = Array.isArray(plan.jobs) ? plan.jobs : [];
  const masker = createMasker(secretValues({ jobs }, undefined));
  if (masker.empty) return plan;
  const hidden = { ...plan, jobs: jobs.map((job) => ({ ...job, variables: job.variables.map((v) => (v.masked ? { ...v, value: MASK } : v)) })) };
  return maskDeep(hidden, masker);
}
