// Readable output for `jobsim compare`: per job, what differs in plain sentences, then the facts side by
// side and the log diff.

import type { JobComparison, Pair, RunComparison } from '../../shared/compare.js';
import { type Palette, seconds } from './run-format.js';
import { terminalText } from './terminal-text.js';

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((cells) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
}

function mark<T>(pair: Pair<T>, p: Palette, show: (value: T) => string): string[] {
  const a = pair.a === undefined ? '—' : show(pair.a);
  const b = pair.b === undefined ? '—' : show(pair.b);
  return [a, pair.changed ? p.yellow(b) : b];
}

function jobSection(job: JobComparison, p: Palette, context: boolean): string[] {
  const lines = [p.bold(`job ${job.job}`)];
  if (job.summary.length === 0) lines.push(p.green('  no differences'));
  else for (const sentence of job.summary) lines.push(`  ${p.yellow('≠')} ${sentence}`);
  lines.push('', ...table([
    ['', 'first run', 'second run'],
    ['status', ...mark(job.state, p, String)],
    ['exit code', ...mark(job.exitCode, p, String)],
    ...job.stages.filter((s) => s.a !== undefined || s.b !== undefined).map((s) => [`${s.stage}`, ...mark(s, p, seconds)]),
    ...job.images.map((i) => [`image (${i.container})`, ...mark(i, p, (u) => `${u.image}@${(u.digest ?? 'none').replace(/^sha256:/, '').slice(0, 12)} ${u.decision}`)]),
    ...job.variables.filter((v) => v.changed).map((v) => [`$${v.key}`, ...mark(v, p, String)]),
    ...job.caches.map((c) => [`cache ${c.key}`, ...mark(c, p, (u) => `${u.action}${u.bytes !== undefined ? ` ${u.bytes} B` : ''}`)]),
  ]));
  const changed = job.log.some((l) => l.op === 'added' || l.op === 'removed');
  if (changed && context) {
    lines.push('', p.bold('  log (first run −, second run +; times and durations ignored)'));
    for (const line of job.log) {
      if (line.op === 'skipped') lines.push(p.dim(`    … ${line.count} unchanged line${line.count === 1 ? '' : 's'}`));
      else {
        const text = terminalText(line.text, p.enabled) ?? '';
        lines.push(line.op === 'added' ? p.green(`  + ${text}`) : line.op === 'removed' ? p.red(`  − ${text}`) : `    ${text}`);
      }
    }
  }
  return lines;
}

export function formatComparison(comparison: RunComparison, p: Palette, options: { showLog: boolean }): string {
  const { a, b } = comparison;
  const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const lines = [
    `${p.bold('first run ')} ${a.runId}  ${a.status}  ${when(a.startedAt)} UTC  ${a.projectPath}`,
    `${p.bold('second run')} ${b.runId}  ${b.status}  ${when(b.startedAt)} UTC  ${b.projectPath}`,
    '',
  ];
  for (const job of comparison.jobs) lines.push(...jobSection(job, p, options.showLog), '');
  return `${lines.join('\n')}\n`;
}
