// `workflow:auto_cancel` and `workflow:rules:auto_cancel`: {on_new_commit, on_job_failure}, checked as
// GitLab's Entry::AutoCancel checks it. Issue 16 gives it its run behaviour (`--auto-cancel`).

import type { AutoCancelPlan } from '../../shared/plan.js';
import { describe, type Located } from './located.js';
import type { Problems } from './problems.js';
import { unknownKeyMessage } from './suggestions.js';

const ON_NEW_COMMIT = ['conservative', 'interruptible', 'none'] as const;
const ON_JOB_FAILURE = ['none', 'all'] as const;

/** `where` names the owner in messages: `workflow:auto_cancel` or `workflow:rules:auto_cancel`. */
export function readAutoCancel(node: Located, where: string, problems: Problems): AutoCancelPlan | undefined {
  if (node.kind !== 'map') {
    problems.error(`${where} config should be a hash, not ${describe(node)}`, node.where);
    return undefined;
  }
  const plan: AutoCancelPlan = {};
  let ok = true;
  for (const { key, keyWhere, value } of node.entries) {
    const allowed: readonly string[] | undefined = key === 'on_new_commit' ? ON_NEW_COMMIT : key === 'on_job_failure' ? ON_JOB_FAILURE : undefined;
    if (!allowed) {
      problems.error(unknownKeyMessage('workflow', where.replace(/^workflow:/, ''), key, ['on_new_commit', 'on_job_failure']), keyWhere);
      ok = false;
      continue;
    }
    if (value.kind !== 'scalar' || typeof value.value !== 'string' || !allowed.includes(value.value)) {
      problems.error(`${where}: ${key} must be one of: ${allowed.join(', ')}`, value.where);
      ok = false;
      continue;
    }
    if (key === 'on_new_commit') plan.onNewCommit = value.value as AutoCancelPlan['onNewCommit'];
    else plan.onJobFailure = value.value as AutoCancelPlan['onJobFailure'];
  }
  return ok ? plan : undefined;
}
