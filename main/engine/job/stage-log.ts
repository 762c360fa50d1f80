// Runner log lines of the services and artifacts stages, in GitLab Runner's wording.

import type { JobPlan, ServicePlan } from '../../../shared/plan.js';
import type { RunContext } from '../contracts.js';
import { runnerLine } from '../job-run/job-log.js';

export function runnerLog(run: RunContext, job: JobPlan, text: string): void {
  runnerLine(run, job.name, text);
}

/** `name:tag` as the runner prints it in `Starting service …`: the tag defaults to `latest`. */
export function serviceImageLabel(service: ServicePlan): string {
  const ref = service.image.ref;
  if (ref.digest || ref.isImageId) return ref.written;
  const written = ref.written;
  const lastSlash = written.lastIndexOf('/');
  const colon = written.indexOf(':', lastSlash + 1);
  const base = colon === -1 ? written : written.slice(0, colon);
  return `${base}:${ref.tag ?? 'latest'}`;
}
