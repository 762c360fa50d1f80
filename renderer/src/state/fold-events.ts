// Folds a run's events into the state its views draw. Pure: the same events give the same view,
// whether they arrive live or are replayed from history.

import type { RunEvent } from '../../../shared/events.js';
import type { JobView, RunView, TimelineStep } from './run-model.js';

function emptyJob(name: string, stage = '', needs: string[] | null = null, when = 'on_success'): JobView {
  return { name, stage, needs, when, state: 'pending', stages: {}, steps: [], logLines: 0 };
}

function withJob(run: RunView, name: string, change: (job: JobView) => JobView): RunView {
  const job = run.jobs[name] ?? emptyJob(name);
  const jobOrder = run.jobs[name] ? run.jobOrder : [...run.jobOrder, name];
  return { ...run, jobOrder, jobs: { ...run.jobs, [name]: change(job) } };
}

function addStep(run: RunView, name: string, step: TimelineStep): RunView {
  return withJob(run, name, (job) => ({ ...job, steps: [...job.steps, step] }));
}

export function emptyRun(runId: string): RunView {
  return { runId, projectDir: '', projectPath: '', stages: [], jobOrder: [], jobs: {}, status: 'running', startedAt: 0 };
}

export function foldEvent(run: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run':
      if (event.state === 'started') {
        const jobs: Record<string, JobView> = {};
        for (const job of event.jobs) jobs[job.name] = run.jobs[job.name] ?? emptyJob(job.name, job.stage, job.needs, job.when);
        return { ...run, projectDir: event.projectDir, projectPath: event.projectPath, stages: event.stages, jobOrder: event.jobs.map((j) => j.name), jobs, startedAt: event.time };
      }
      return { ...run, status: event.status, durationMs: event.durationMs };
    case 'job':
      return withJob(run, event.job, (job) => ({
        ...job,
        state: event.state,
        startedAt: event.state === 'running' ? event.time : job.startedAt,
        finishedAt: event.state === 'running' || event.state === 'pending' ? undefined : event.time,
        durationMs: event.durationMs ?? job.durationMs,
        exitCode: event.exitCode ?? job.exitCode,
        reason: event.reason ?? job.reason,
        allowedToFail: event.allowedToFail ?? job.allowedToFail,
      }));
    case 'stage':
      return withJob(run, event.job, (job) => {
        const span = job.stages[event.stage];
        const next = event.state === 'started' ? { start: event.time } : { start: span?.start ?? event.time - (event.durationMs ?? 0), end: event.time, status: event.status };
        return { ...job, stages: { ...job.stages, [event.stage]: next } };
      });
    case 'pull':
      return addStep(run, event.job, {
        kind: 'pull',
        label: `${event.container}: ${event.image}`,
        time: event.time,
        durationMs: event.durationMs,
        outcome: `${event.decision} (${event.policy}): ${event.reason}`,
        image: event.image,
      });
    case 'service':
      if (event.state === 'starting') return run;
      return addStep(run, event.job, {
        kind: 'service',
        label: `${event.name} (${event.aliases.join(', ')})`,
        time: event.time,
        durationMs: event.timeToHealthyMs,
        outcome: event.detail ? `${event.state}: ${event.detail}` : event.state,
      });
    case 'cache':
      return addStep(run, event.job, { kind: 'cache', label: `cache ${event.key}`, time: event.time, outcome: event.reason ? `${event.action}: ${event.reason}` : event.action });
    case 'artifact':
      return addStep(run, event.job, {
        kind: 'artifact',
        label: event.from ? `artifacts from ${event.from}` : 'artifacts',
        time: event.time,
        outcome: `${event.action}: ${event.files} files, ${event.bytes} bytes`,
      });
    case 'log':
      return withJob(run, event.job, (job) => ({ ...job, logLines: job.logLines + 1 }));
    case 'pull-progress':
    case 'resource':
      return run;
  }
}

export function foldEvents(run: RunView, events: readonly RunEvent[]): RunView {
  let next = run;
  for (const event of events) next = foldEvent(next, event);
  return next;
}
