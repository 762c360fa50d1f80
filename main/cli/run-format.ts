// Readable output for `jobsim run`: one line per event with a coloured job prefix, stage headings, pull
// decisions, service states, cache and artifact lines, and a summary table at the end.

import { describeFailureReason } from '../../shared/failure-text.js';
import type { JobEvent, RunEvent } from '../../shared/events.js';
import { terminalText } from './terminal-text.js';

export interface Palette {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  job(name: string, text: string): string;
}

const JOB_COLOURS = [36, 35, 34, 33, 32, 96, 95, 94];

export function palette(enabled: boolean): Palette {
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  const order = new Map<string, number>();
  return {
    enabled,
    bold: wrap(1),
    dim: wrap(2),
    red: wrap(31),
    green: wrap(32),
    yellow: wrap(33),
    job(name, text) {
      if (!order.has(name)) order.set(name, order.size);
      return wrap(JOB_COLOURS[(order.get(name) ?? 0) % JOB_COLOURS.length] ?? 36)(text);
    },
  };
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** Turns events into text lines. Keeps the width of the job column so prefixes line up. */
export class RunPrinter {
  private width = 0;
  private readonly stageOf = new Map<string, string>();
  private readonly announced = new Set<string>();

  constructor(private readonly p: Palette) {}

  /** Lines for one event (none for events that are not shown in the text log). */
  lines(event: RunEvent): string[] {
    const p = this.p;
    switch (event.type) {
      case 'run':
        if (event.state === 'started') {
          this.width = Math.max(0, ...event.jobs.map((j) => j.name.length));
          for (const j of event.jobs) this.stageOf.set(j.name, j.stage);
          return [p.bold(`jobsim: running ${event.jobs.length} job(s) of ${event.file} in ${event.projectPath} (run ${event.runId})`)];
        }
        return [];
      case 'job':
        return this.jobLine(event);
      case 'stage':
        if (event.state === 'started') return [this.prefixed(event.job, p.bold(`── ${event.stage} ──`))];
        return [this.prefixed(event.job, p.dim(`── ${event.stage} ${event.status ?? 'done'}${event.durationMs !== undefined ? ` in ${seconds(event.durationMs)}` : ''}`))];
      case 'log': {
        const shown = terminalText(event.text, p.enabled);
        if (shown === undefined) return [];
        const source = event.source === 'service' ? p.dim(`[${event.service ?? 'service'}] `) : '';
        const text = event.source === 'runner' && /^(ERROR|WARNING)/.test(shown) ? (shown.startsWith('ERROR') ? p.red(shown) : p.yellow(shown)) : shown;
        return [this.prefixed(event.job, source + text)];
      }
      case 'pull': {
        const colour = event.decision === 'failed' || event.decision === 'refused' ? p.red : p.dim;
        const digest = event.digest ? ` ${event.digest.slice(0, 19)}` : '';
        return [this.prefixed(event.job, colour(`pull ${event.image} [${event.container}] policy ${event.policy} (attempt ${event.attempt}): ${event.decision}${digest} — ${event.reason}`))];
      }
      case 'service': {
        const aliases = event.aliases.length > 0 ? ` (aliases ${event.aliases.join(', ')})` : '';
        const timing = event.timeToHealthyMs !== undefined ? ` in ${seconds(event.timeToHealthyMs)}` : '';
        const detail = event.detail ? `: ${event.detail}` : '';
        const state = event.state === 'healthy' ? p.green(event.state) : event.state === 'starting' ? event.state : p.yellow(event.state);
        return [this.prefixed(event.job, `service ${event.name}${aliases}: ${state}${timing}${detail}`)];
      }
      case 'cache': {
        // A cache skipped before it had a volume (empty key, disable_cache, policy) names none.
        const details = [event.volume ? `volume ${event.volume}` : '', event.bytes !== undefined ? `${event.bytes} bytes` : ''].filter(Boolean);
        const shown = details.length > 0 ? ` (${details.join(', ')})` : '';
        const reason = event.reason ? ` — ${event.reason}` : '';
        return [this.prefixed(event.job, `cache ${event.key || '(no key)'}: ${event.action}${shown}${reason}`)];
      }
      case 'artifact': {
        const from = event.from ? ` from ${event.from}` : '';
        const reason = event.reason ? ` — ${event.reason}` : '';
        return [this.prefixed(event.job, `artifacts ${event.action}${from}: ${event.files} file(s), ${event.bytes} bytes${reason}`)];
      }
      // The job log already says how to enter a kept job (a runner line).
      case 'kept':
      case 'pull-progress':
      case 'resource':
        return [];
    }
  }

  private jobLine(event: JobEvent): string[] {
    const p = this.p;
    const duration = event.durationMs !== undefined ? ` in ${seconds(event.durationMs)}` : '';
    const why = describeFailureReason(event.reason, event.exitCode);
    switch (event.state) {
      case 'pending':
        return [];
      case 'running': {
        const stage = this.stageOf.get(event.job);
        const heading = stage !== undefined && !this.announced.has(stage) ? [p.bold(`━━ stage ${stage} ━━`)] : [];
        if (stage !== undefined) this.announced.add(stage);
        return [...heading, this.prefixed(event.job, p.bold(`job ${event.job} started`))];
      }
      case 'success':
        return [this.prefixed(event.job, p.green(`job succeeded${duration}`))];
      case 'failed':
        return [this.prefixed(event.job, (event.allowedToFail ? p.yellow : p.red)(`job failed${event.allowedToFail ? ' (allowed to fail)' : ''}${duration}${why ? `: ${why}` : ''}`))];
      case 'canceled':
        return [this.prefixed(event.job, p.yellow(`job canceled${duration}`))];
      case 'skipped':
        return [this.prefixed(event.job, p.dim(`job skipped${why ? `: ${why}` : ''}`))];
      case 'manual':
        return [this.prefixed(event.job, p.dim('manual job: not run (name it to run it: `jobsim run ' + event.job + '`)'))];
    }
  }

  private prefixed(job: string, text: string): string {
    return `${this.p.job(job, job.padEnd(this.width))} │ ${text}`;
  }
}

interface SummaryRow {
  job: string;
  status: string;
  duration: string;
  reason: string;
}

/** The table printed at the end: job, status, duration, reason. */
export function summaryTable(finals: readonly JobEvent[], p: Palette): string {
  const rows: SummaryRow[] = finals.map((e) => ({
    job: e.job,
    status: e.state === 'failed' && e.allowedToFail ? 'failed (allowed)' : e.state,
    duration: e.durationMs !== undefined ? seconds(e.durationMs) : '',
    reason: describeFailureReason(e.reason, e.exitCode),
  }));
  const header: SummaryRow = { job: 'JOB', status: 'STATUS', duration: 'DURATION', reason: 'REASON' };
  const w = (key: keyof SummaryRow) => Math.max(...[header, ...rows].map((r) => r[key].length));
  const format = (r: SummaryRow, colour: (s: string) => string = (s) => s) =>
    `${r.job.padEnd(w('job'))}  ${colour(r.status.padEnd(w('status')))}  ${r.duration.padEnd(w('duration'))}  ${r.reason}`.trimEnd();
  const colourFor = (status: string) => (status === 'success' ? p.green : status === 'failed' ? p.red : status.startsWith('failed') || status === 'canceled' ? p.yellow : p.dim);
  return [p.bold(format(header)), ...rows.map((r) => format(r, colourFor(r.status)))].join('\n') + '\n';
}
