// Folds a run's events into the state its views draw. Pure: the same events give the same view,
// whether they arrive live or are replayed from history.

import type { RunEvent } from '../../../shared/events.js';
import type { JobView, RunView, TimelineStep } from './run-model.js';

function emptyJob(name: string, stage = '', needs: string[] | null = null, when = 'on_success'): JobView {
  return { name, stage, needs, when, state: 'pending', stages: {}, steps: [], logLines: 0, services: {}, pulls: [], pullProgress: {}, caches: [] };
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
  return { runId, projectDir: '', projectPath: '', stages: [], jobOrder: [], jobs: {}, status: 'running', startedAt: 0, stored: false, resources: [] };
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
        variables: event.variables ?? job.variables,
        reusedFrom: event.reusedFrom ?? job.reusedFrom,
      }));
    case 'stage':
      return withJob(run, event.job, (job) => {
        const span = job.stages[event.stage];
        const next = event.state === 'started' ? { start: event.time } : { start: span?.start ?? event.time - (event.durationMs ?? 0), end: event.time, status: event.status };
        return { ...job, stages: { ...job.stages, [event.stage]: next } };
      });
    case 'pull': {
      const { [event.image]: _done, ...stillPulling } = run.jobs[event.job]?.pullProgress ?? {};
      const withPull = withJob(run, event.job, (job) => ({ ...job, pulls: [...job.pulls, event], pullProgress: stillPulling }));
      return addStep(withPull, event.job, {
        kind: 'pull',
        label: `${event.container}: ${event.image}`,
        time: event.time,
        durationMs: event.durationMs,
        outcome: `${event.decision} (${event.policy}): ${event.reason}`,
        image: event.image,
      });
    }
    case 'service': {
      // Only `starting` carries the variables and the withheld secrets: later states keep them.
      const withService = withJob(run, event.job, (job) => ({ ...job, services: { ...job.services, [event.name]: { ...job.services[event.name], ...event } } }));
      if (event.state === 'starting') return withService;
      return addStep(withService, event.job, {
        kind: 'service',
        label: `${event.name} (${event.aliases.join(', ')})`,
        time: event.time,
        durationMs: event.timeToHealthyMs,
        outcome: event.detail ? `${event.state}: ${event.detail}` : event.state,
      });
    }
    case 'cache':
      return addStep(withJob(run, event.job, (job) => ({ ...job, caches: [...job.caches, event] })), event.job, { kind: 'cache', label: `cache ${event.key}`, time: event.time, outcome: event.reason ? `${event.action}: ${event.reason}` : event.action });
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
      return withJob(run, event.job, (job) => ({ ...job, pullProgress: { ...job.pullProgress, [event.image]: event } }));
    case 'resource':
      return { ...run, resources: [...run.resources, event] };
    case 'kept':
      return withJob(run, event.job, (job) => ({ ...job, kept: event }));
  }
}

export function foldEvents(run: RunView, events: readonly RunEvent[]): RunView {
  let next = run;
  for (const event of events) next = foldEvent(next, event);
  return next;
}
