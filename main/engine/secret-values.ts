// The values a run (or `jobsim plan`) masks: every masked variable of the plan (secrets file included)
// and the --secret values.

import type { PipelinePlan } from '../../shared/plan.js';

export function secretValues(plan: Pick<PipelinePlan, 'jobs'>, cli: Record<string, string> | undefined): string[] {
  const values = new Set<string>(Object.values(cli ?? {}));
  for (const job of plan.jobs) for (const v of job.variables) if (v.masked) values.add(v.value);
  // Output reaches the masker one line at a time, so a multi-line secret (a PEM key) is masked line by
  // line too; very short lines (`-----`, `}`) would mask ordinary output and are left out.
  for (const value of [...values]) {
    if (!value.includes('\n')) continue;
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 6) values.add(line.trim());
  }
  return [...values].filter((v) => v.length > 0);
}
