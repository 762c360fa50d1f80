// The UI's state: one zustand store made of a slice per concern. Components select the smallest piece
// they need. Run events are folded here; their log lines go to the LogStore, never into this state.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DoctorReport, InputProblem, JobsimApi, RunRequest, RunSummary } from '../../../shared/api.js';
import type { RunEvent } from '../../../shared/events.js';
import type { LintReport } from '../../../shared/image-lint.js';
import type { PipelineChoice, PipelinePlan } from '../../../shared/plan.js';
import type { ConnectionStatus } from '../api/index.js';
import { serviceLogKey, type LogStore } from '../log/log-store.js';
import { emptyRun, foldEvents } from './fold-events.js';
import type { RunView } from './run-model.js';

export interface ProjectSlice {
  projectDir: string;
  plan?: PipelinePlan;
  problems?: InputProblem[];
  projectLoading: boolean;
  projectError?: string;
  openProject(projectDir: string): Promise<void>;
  /** The pipeline to simulate (branch, tag, source, merge request target); {} is a push to the checked-out branch. */
  pipeline: PipelineChoice;
  /** Chooses another pipeline: the job list is read again for it, and "Run pipeline" runs it. */
  setPipeline(choice: PipelineChoice): Promise<void>;
}

export interface RunSlice {
  run?: RunView;
  runError?: string;
  startRun(request: Omit<RunRequest, 'projectDir' | 'variables' | 'secrets' | 'keepOnFailure' | 'pipeline'>): Promise<void>;
  /** Keep a failed job's containers for a shell (the Debug panel); on by default in the app. */
  keepOnFailure: boolean;
  setKeepOnFailure(keep: boolean): void;
  cancelRun(): Promise<void>;
  /**
   * Shows a live run, or a stored one (replayed from the start, read-only) when its stored status is
   * given; an `interrupted` run never gets a final event, so that status is shown from the start.
   */
  watchRun(runId: string, storedStatus?: RunSummary['status']): void;
  /** Loads a job's whole log from the stored run (the page keeps only the latest lines of a long log). */
  loadWholeLog(job: string): Promise<void>;
  pastRuns: RunSummary[];
  refreshPastRuns(): Promise<void>;
}

export interface VariablesSlice {
  variables: Record<string, string>;
  /** Kept for this session only, never stored by the UI. */
  secrets: Record<string, string>;
  setVariable(kind: 'variables' | 'secrets', key: string, value: string | undefined): void;
  /** Where the secrets were saved, or why saving failed. */
  secretsSaved?: { file?: string; error?: string };
  /** Writes the session's secrets to the project's git-ignored `.jobsim/secrets.env`. */
  saveSecrets(): Promise<void>;
}

export type AppView = 'project' | 'run' | 'history' | 'caches';
/** The panels of the selected job in the run view. */
export type JobTab = 'log' | 'services' | 'pulls' | 'isolation' | 'debug';

export interface UiSlice {
  view: AppView;
  selectedJob?: string;
  jobTab: JobTab;
  connection: ConnectionStatus;
  doctor?: DoctorReport;
  showView(view: AppView): void;
  showJobTab(tab: JobTab): void;
  selectJob(job: string | undefined): void;
  checkEngine(): Promise<void>;
  /** Runner-image lint results by image, shown next to the image's pull decision. */
  lints: Record<string, LintReport | { error: string } | 'checking'>;
  lintImage(image: string): Promise<void>;
}

export type AppState = ProjectSlice & RunSlice & VariablesSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

function isDefaultPipeline(choice: PipelineChoice): boolean {
  return Object.values(choice).every((value) => value === undefined);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createAppStore(api: JobsimApi, logs: LogStore, initialProjectDir = ''): AppStore {
  let unsubscribe: (() => void) | undefined;

  return createStore<AppState>()((set, get) => {
    const applyEvents = (runId: string, events: RunEvent[]): void => {
      const byJob = new Map<string, string[]>();
      const add = (key: string, text: string): void => {
        let lines = byJob.get(key);
        if (!lines) byJob.set(key, (lines = []));
        lines.push(text);
      };
      for (const event of events) {
        if (event.type !== 'log') continue;
        add(event.job, event.text);
        if (event.source === 'service' && event.service) add(serviceLogKey(event.job, event.service), event.text);
      }
      set((state) => (state.run?.runId === runId ? { run: foldEvents(state.run, events) } : {}));
      for (const [job, lines] of byJob) logs.append(job, lines);
    };

    const watch = (runId: string, storedStatus?: RunSummary['status']): void => {
      unsubscribe?.();
      logs.clear();
      const run = emptyRun(runId);
      const stored = storedStatus !== undefined && storedStatus !== 'running';
      set({ run: { ...run, stored, status: storedStatus === 'interrupted' ? 'interrupted' : run.status }, view: 'run', selectedJob: undefined, runError: undefined });
      unsubscribe = api.subscribe(runId, (events) => applyEvents(runId, events));
    };

    return {
      // Project
      projectDir: initialProjectDir,
      projectLoading: false,
      pipeline: {},
      async setPipeline(pipeline) {
        set({ pipeline });
        await get().openProject(get().projectDir);
      },
      async openProject(projectDir) {
        // Another project starts from the default pipeline: a tag or branch name belongs to one project.
        if (projectDir !== get().projectDir) set({ pipeline: {} });
        set({ projectDir, projectLoading: true, projectError: undefined, problems: undefined });
        const { pipeline } = get();
        try {
          const result = isDefaultPipeline(pipeline) ? await api.openProject(projectDir) : await api.openProject(projectDir, undefined, undefined, pipeline);
          if (result.ok) set({ plan: result.plan, problems: undefined, projectLoading: false });
          else set({ plan: undefined, problems: result.problems, projectLoading: false });
        } catch (error) {
          set({ plan: undefined, projectError: errorText(error), projectLoading: false });
        }
      },

      // Runs
      pastRuns: [],
      keepOnFailure: true,
      setKeepOnFailure: (keepOnFailure) => set({ keepOnFailure }),
      async startRun(request) {
        const { projectDir, variables, secrets, keepOnFailure, pipeline } = get();
        set({ runError: undefined });
        try {
          const { runId } = await api.startRun({ ...request, projectDir, variables, secrets, keepOnFailure, ...(isDefaultPipeline(pipeline) ? {} : { pipeline }) });
          watch(runId);
        } catch (error) {
          set({ runError: errorText(error) });
        }
      },
      async cancelRun() {
        const run = get().run;
        if (!run || run.status !== 'running') return;
        try {
          await api.cancelRun(run.runId);
        } catch (error) {
          set({ runError: errorText(error) });
        }
      },
      watchRun: (runId, storedStatus) => watch(runId, storedStatus),
      async loadWholeLog(job) {
        const run = get().run;
        if (!run || run.status === 'running' || run.status === 'interrupted') return;
        const lines = await new Promise<string[]>((resolve) => {
          const collected: string[] = [];
          let unsubscribe: (() => void) | undefined;
          let finished = false;
          unsubscribe = api.subscribe(run.runId, (events) => {
            for (const event of events) {
              if (event.type === 'log' && event.job === job) collected.push(event.text);
              if (event.type === 'run' && event.state === 'finished') finished = true;
            }
            if (finished) {
              unsubscribe?.();
              unsubscribe = undefined;
              resolve(collected);
            }
          });
          if (finished) unsubscribe();
        });
        logs.replaceWithWholeLog(job, lines);
      },
      async refreshPastRuns() {
        try {
          set({ pastRuns: await api.listRuns() });
        } catch (error) {
          set({ runError: errorText(error) });
        }
      },

      // Variables
      variables: {},
      secrets: {},
      setVariable(kind, key, value) {
        set((state) => {
          const next = { ...state[kind] };
          if (value === undefined) delete next[key];
          else next[key] = value;
          return { [kind]: next } as Pick<VariablesSlice, typeof kind>;
        });
      },

      async saveSecrets() {
        const { projectDir, secrets } = get();
        try {
          const { file } = await api.saveSecrets(projectDir, secrets);
          set({ secretsSaved: { file } });
        } catch (error) {
          set({ secretsSaved: { error: errorText(error) } });
        }
      },

      // UI
      view: 'project',
      connection: 'connecting',
      showView: (view) => set({ view }),
      jobTab: 'log',
      showJobTab: (jobTab) => set({ jobTab }),
      selectJob: (job) => set({ selectedJob: job }),
      lints: {},
      async lintImage(image) {
        set((state) => ({ lints: { ...state.lints, [image]: 'checking' } }));
        try {
          const report = await api.lintImage(image);
          set((state) => ({ lints: { ...state.lints, [image]: report } }));
        } catch (error) {
          set((state) => ({ lints: { ...state.lints, [image]: { error: errorText(error) } } }));
        }
      },
      async checkEngine() {
        try {
          set({ doctor: await api.doctor() });
        } catch (error) {
          set({ doctor: { endpoint: { source: 'default', address: 'unknown' }, reachable: false, error: errorText(error) } });
        }
      },
    };
  });
}
