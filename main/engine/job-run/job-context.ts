// Makes the one per-job context (contracts.ts JobContext) that runJob passes to every stage.

import type { JobPlan } from '../../../shared/plan.js';
import type { ContainerMount, JobContext, JobWorkspace, PreparedJob, ResolvedImage, RunContext } from '../contracts.js';
import { CommandWatcher } from './command-watcher.js';
import { JobLog } from './job-log.js';
import { JobObjects } from './resources.js';

export function createJobContext(job: JobPlan, run: RunContext): JobContext {
  return { job, run, log: new JobLog(run, job.name), objects: new JobObjects(run, job.name), extraMounts: [], commands: new CommandWatcher() };
}

/** The workspace once the job's network and builds volume exist. */
export function jobWorkspace(job: JobPlan, run: RunContext, parts: { network: string; buildsVolume: string; image: ResolvedImage; labels: Record<string, string> }): JobWorkspace {
  const buildsMount: ContainerMount = { type: 'volume', source: parts.buildsVolume, target: run.plan.runner.buildsDir, readOnly: false };
  return { ...parts, buildsMount, projectDir: job.projectDirInContainer };
}

/** Gives the context its workspace (the same object, now typed as prepared). */
export function withWorkspace(ctx: JobContext, workspace: JobWorkspace): PreparedJob {
  ctx.workspace = workspace;
  return ctx as PreparedJob;
}

export function isPrepared(ctx: JobContext): ctx is PreparedJob {
  return ctx.workspace !== undefined;
}

/** A context whose workspace already exists (tests, and stages run on their own). */
export function preparedJob(job: JobPlan, run: RunContext, workspace: JobWorkspace): PreparedJob {
  return withWorkspace(createJobContext(job, run), workspace);
}
