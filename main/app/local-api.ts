// The Node implementation of JobsimApi that both hosts expose: the Electron shell over IPC and
// `jobsim serve` over a WebSocket. It only wires engine modules together; it holds no run logic.

import type { DoctorReport, JobsimApi, ProjectResult, RunRequest, RunSummary, Unsubscribe } from '../../shared/api.js';
import type { RerunRequest } from '../../shared/debug.js';
import type { RunEvent, RunStatus } from '../../shared/events.js';
import type { PipelineChoice, PipelinePlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { createEventBatcher } from './event-batcher.js';
import { OpenProjects } from './open-projects.js';
import { maskedPlan } from './masked-plan.js';

/** The part of a live run the API needs (main/engine/run.ts RunHandle satisfies it). */
export interface LiveRun {
  runId: string;
  subscribe(listener: (event: RunEvent) => void): () => void;
  cancel(): void;
  forceKill?(): void;
  done: Promise<RunStatus>;
}

/** The API plus what its host needs to stop cleanly. */
export interface LocalApi extends JobsimApi {
  /**
   * Cancels every run still going and waits until each has cleaned up; `force` kills at once (the
   * second Ctrl-C) but still cleans up.
   */
  shutdown(force?: boolean): Promise<void>;
}

/** The engine operations the API is made of; index.ts passes the real ones, tests pass fakes. */
export interface LocalApiDeps {
  loadPipeline(options: { projectDir: string; file?: string; runnerConfig?: string; pipeline?: PipelineChoice }): Promise<PipelinePlan>;
  startRun(request: RunRequest): Promise<LiveRun>;
  rerun(request: RerunRequest): Promise<LiveRun>;
  listRuns(): Promise<RunSummary[]>;
  /** Events of a stored run, oldest first. */
  readRunEvents(runId: string): AsyncIterable<RunEvent>;
  doctor(): Promise<DoctorReport>;
  /** Passed through as they are: the cache browser, image lint, the secrets file, run comparison and debugging. */
  tools: Pick<JobsimApi, 'listCaches' | 'inspectCache' | 'clearCaches' | 'lintImage' | 'saveSecrets' | 'compareRuns' | 'listKept' | 'releaseKept' | 'openShell'>;
}

export function createLocalApi(deps: LocalApiDeps): LocalApi {
  const runs = new Map<string, LiveRun>();
  const live = new Set<LiveRun>();
  const openProjects = new OpenProjects();

  // A finished run is replayed from its stored history (written in full before `done` resolves), so
  // its in-memory events can go.
  const remember = (run: LiveRun): void => {
    runs.set(run.runId, run);
    live.add(run);
    const forget = (): void => {
      live.delete(run);
      runs.delete(run.runId);
    };
    run.done.then(forget, forget);
  };

  const replayFromHistory = (runId: string, onEvents: (events: RunEvent[]) => void): Unsubscribe => {
    let stopped = false;
    const batcher = createEventBatcher(onEvents);
    void (async () => {
      try {
        for await (const event of deps.readRunEvents(runId)) {
          if (stopped) return;
          batcher.push(event);
        }
      } catch {
        // No stored events for this run (never existed, or its history was removed): nothing to replay.
      } finally {
        batcher.close();
      }
    })();
    return () => {
      stopped = true;
      batcher.close();
    };
  };

  return {
    async openProject(projectDir, file, runnerConfig, pipeline): Promise<ProjectResult> {
      try {
        const plan = await deps.loadPipeline({ projectDir, file, runnerConfig, ...(pipeline ? { pipeline } : {}) });
        await openProjects.remember(projectDir);
        return { ok: true, plan: maskedPlan(plan) };
      } catch (error) {
        if (error instanceof InputError) return { ok: false, problems: error.problems };
        throw error;
      }
    },

    async startRun(request) {
      const run = await deps.startRun(request);
      remember(run);
      return { runId: run.runId };
    },

    async rerun(request) {
      const run = await deps.rerun(request);
      remember(run);
      return { runId: run.runId };
    },

    async cancelRun(runId) {
      const run = runs.get(runId);
      if (!run) throw new InputError(`no run "${runId}" is running in this jobsim`);
      run.cancel();
    },

    subscribe(runId, onEvents) {
      const run = runs.get(runId);
      if (!run) return replayFromHistory(runId, onEvents);
      const batcher = createEventBatcher(onEvents);
      const unsubscribe = run.subscribe((event) => {
        batcher.push(event);
        if (event.type === 'run' && event.state === 'finished') batcher.flush();
      });
      return () => {
        unsubscribe();
        batcher.close();
      };
    },

    listRuns: () => deps.listRuns(),
    doctor: () => deps.doctor(),
    listCaches: (project) => deps.tools.listCaches(project),
    inspectCache: (volume, path) => deps.tools.inspectCache(volume, path),
    clearCaches: (request) => deps.tools.clearCaches(request),
    lintImage: (image, profile) => deps.tools.lintImage(image, profile),
    saveSecrets: async (projectDir, secrets) => deps.tools.saveSecrets(await openProjects.require(projectDir, 'secrets'), secrets),
    compareRuns: (runA, runB, job) => deps.tools.compareRuns(runA, runB, job),
    listKept: () => deps.tools.listKept(),
    releaseKept: (runId, job) => deps.tools.releaseKept(runId, job),
    openShell: (target, size, onOutput) => deps.tools.openShell(target, size, onOutput),

    async shutdown(force = false) {
      const going = [...live];
      for (const run of going) {
        if (force && run.forceKill) run.forceKill();
        else run.cancel();
      }
      await Promise.allSettled(going.map((run) => run.done));
    },
  };
}
