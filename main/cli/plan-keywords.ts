// `jobsim plan` lines for the keywords jobsim plans but does not act on yet (retry, tags,
// environment, trigger...): what GitLab would do with them, so a user can check the file.

import type { ChildInclude, JobPlan, TriggerPlan } from '../../shared/plan.js';

export function keywordLines(job: JobPlan): string[] {
  const out: string[] = [];
  const row = (label: string, text: string): void => void out.push(`  ${label.padEnd(11)} ${text}`);
  if (job.trigger) row('trigger', `${triggerText(job.trigger)} (jobsim does not run downstream pipelines yet)`);
  if (job.retry) {
    const r = job.retry;
    const when = r.when.length === 1 && r.when[0] === 'always' ? '' : ` on ${r.when.join(', ')}`;
    row('retry', `up to ${r.max} time${r.max === 1 ? '' : 's'}${when}${r.exitCodes.length ? ` (exit codes ${r.exitCodes.join(', ')})` : ''}; not retried locally yet`);
  }
  if (job.interruptible !== undefined) row('interruptible', String(job.interruptible));
  if (job.tags) row('tags', job.tags.join(', ') || '(none)');
  if (job.resourceGroup !== undefined) row('resource_group', job.resourceGroup);
  if (job.environment) {
    const e = job.environment;
    const extra = [e.url, e.action !== 'start' ? `action ${e.action}` : undefined, e.deploymentTier ? `tier ${e.deploymentTier}` : undefined,
      e.onStop ? `stopped by ${e.onStop}` : undefined, e.autoStopIn ? `auto stop in ${e.autoStopIn}` : undefined].filter((x) => x !== undefined);
    row('environment', `${e.name}${extra.length ? ` (${extra.join('; ')})` : ''}`);
  }
  if (job.coverage) row('coverage', job.coverage);
  return out;
}

function triggerText(t: TriggerPlan): string {
  const strategy = t.strategy ? `, strategy ${t.strategy}` : '';
  if (t.kind === 'project') return `project ${t.project}${t.branch ? ` (branch ${t.branch})` : ''}${strategy}`;
  return `child pipeline from ${t.include.map(includeText).join(', ')}${strategy}`;
}

function includeText(i: ChildInclude): string {
  switch (i.kind) {
    case 'local':
      return i.path;
    case 'artifact':
      return `${i.path} (artifact of ${i.job})`;
    case 'project':
      return `${i.project}:${i.files.join(',')}${i.ref ? `@${i.ref}` : ''}`;
    case 'template':
      return `template ${i.name}`;
    case 'remote':
      return i.url;
    case 'component':
      return `component ${i.ref}`;
  }
}
