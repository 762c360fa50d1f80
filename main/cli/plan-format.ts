// Readable output for `jobsim plan`: the fully resolved job, secrets shown as [MASKED].

import type { ImagePlan, JobPlan, ParseWarning, PipelinePlan, VolumeSpec } from '../../shared/plan.js';
import { formatWhere } from '../errors.js';
import { formatDuration } from '../../shared/duration.js';
import { keywordLines } from './plan-keywords.js';

export const MASKED = '[MASKED]';

/** A copy of the job whose masked values read [MASKED] (for --json). */
export function maskedJob(job: JobPlan): JobPlan {
  return { ...job, variables: job.variables.map((v) => (v.masked ? { ...v, value: MASKED } : v)) };
}

export function formatWarnings(warnings: ParseWarning[]): string {
  return warnings.map((w) => `warning: ${formatWhere(w.where)}${w.message}\n`).join('');
}

function pull(image: ImagePlan): string {
  const p = image.pull;
  return `pull_policy ${p.policies.join(', ')} (from ${p.source}); allowed ${p.allowed.join(', ')} (from ${p.allowedSource})`;
}

function volume(v: VolumeSpec): string {
  return v.kind === 'bind' ? `${v.hostPath} → ${v.containerPath}${v.readOnly ? ' (read-only)' : ''}` : `${v.containerPath} (persistent volume)`;
}

export function formatPlan(plan: PipelinePlan, job: JobPlan): string {
  const out: string[] = [];
  const line = (text = ''): void => void out.push(text);
  line(`job ${job.name}  (${formatWhere(job.where).replace(/: $/, '')})`);
  line(`  stage       ${job.stage}`);
  line(`  when        ${job.when}${job.startInMs !== undefined ? ` (start_in ${formatDuration(job.startInMs)}; jobsim starts it at once)` : ''}${job.allowFailure === false ? '' : job.allowFailure === true ? ', allowed to fail' : `, allowed to fail with exit codes ${job.allowFailure.exitCodes.join(', ')}`}`);
  line(`  timeout     ${formatMs(job.timeoutMs)}`);
  for (const text of keywordLines(job)) line(text);
  if (!job.trigger) {
    line(`  image       ${job.image.ref.written} → ${job.image.ref.normalized}`);
    line(`              ${pull(job.image)}`);
  }
  if (job.image.entrypoint) line(`              entrypoint ${JSON.stringify(job.image.entrypoint)}`);
  line(`  project dir ${job.projectDirInContainer}`);
  line(`  needs       ${job.needs === null ? 'all jobs of earlier stages' : job.needs.map((n) => n.job + (n.artifacts ? '' : ' (no artifacts)') + (n.optional ? ' (optional)' : '')).join(', ') || 'nothing (starts at once)'}`);
  if (job.dependencies) line(`  artifacts from ${job.dependencies.join(', ') || 'no job'}`);
  if (job.services.length > 0) {
    line('services');
    for (const s of job.services) {
      line(`  ${s.name} → ${s.image.ref.normalized}`);
      line(`    host names ${s.aliases.join(', ')}`);
      line(`    ${pull(s.image)}`);
      if (s.entrypoint) line(`    entrypoint ${JSON.stringify(s.entrypoint)}`);
      if (s.command) line(`    command ${JSON.stringify(s.command)}`);
      for (const v of s.variables) line(`    ${v.key}=${v.value}`);
    }
  }
  const scripts: [string, string[]][] = [['before_script', job.beforeScript], ['script', job.script], ['after_script', job.afterScript]];
  for (const [name, lines] of scripts) {
    if (lines.length === 0) continue;
    line(name);
    for (const l of lines) line(`  $ ${l}`);
  }
  for (const c of job.caches) {
    const key = c.key.kind === 'literal' ? c.key.value : `files ${c.key.files.join(', ')}${c.key.prefix ? ` (prefix ${c.key.prefix})` : ''}`;
    line(`cache key ${key}: ${c.paths.join(', ') || '(no paths)'}${c.untracked ? ' + untracked' : ''}; policy ${c.policy}, when ${c.when}`);
  }
  if (job.artifacts) {
    const a = job.artifacts;
    line(`artifacts ${a.paths.join(', ') || '(no paths)'}${a.exclude.length ? ` excluding ${a.exclude.join(', ')}` : ''}; when ${a.when}${a.expireIn ? `, expire in ${a.expireIn}` : ''}`);
    for (const r of a.reports ?? []) line(`  report ${r.type}${r.coverageFormat ? ` (${r.coverageFormat})` : ''}: ${r.paths.join(', ')}`);
  }
  const d = job.docker;
  line('container');
  line(`  privileged ${d.privileged}${d.user ? `, user ${d.user}` : ''}${d.networkMode ? `, network ${d.networkMode}` : ''}`);
  for (const v of d.volumes) line(`  volume ${volume(v)}`);
  if (d.disableEntrypointOverwrite) line('  image entrypoint overrides disabled (disable_entrypoint_overwrite)');
  if (d.ignoreImageEntrypoint) line("  the image's ENTRYPOINT and CMD are ignored (ignore_image_entrypoint)");
  line('variables');
  for (const v of job.variables) line(`  ${v.key}=${v.masked ? MASKED : v.value}  (${v.source})`);
  line(`runner ${plan.runner.file ?? 'built-in defaults'}; builds_dir ${plan.runner.buildsDir}`);
  return `${out.join('\n')}\n`;
}

function formatMs(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms % 60_000 !== 0) return `${Math.round(ms / 1000)}s`;
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}
