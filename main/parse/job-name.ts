// What a job name may be: GitLab refuses names longer than 255 characters. A NUL in a name is refused
// with every other value (yaml-source.ts); Docker would fail on it only when the job starts.

import { shortened } from '../../shared/shortened.js';
import type { SourceLocation } from '../../shared/plan.js';
import type { Problems } from './problems.js';

export const MAX_JOB_NAME = 255;

/** Whether the name can be a job's; reports the problem when not. */
export function jobNameAllowed(name: string, where: SourceLocation, problems: Problems): boolean {
  if (name.length <= MAX_JOB_NAME) return true;
  problems.error(`job name "${shortened(name)}" is too long: GitLab allows at most ${MAX_JOB_NAME} characters`, where);
  return false;
}
