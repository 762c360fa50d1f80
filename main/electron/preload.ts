// Runs in the sandboxed renderer before the page. Exposes one function per API operation on
// `window.jobsim`; never ipcRenderer itself.

import { contextBridge, ipcRenderer } from 'electron';
import type { InputProblem, JobsimApi, RunRequest } from '../../shared/api.js';
import type { RerunRequest, ShellOutput, ShellTarget, TerminalSize } from '../../shared/debug.js';
import type { RunEvent } from '../../shared/events.js';
import { CHANNELS, type IpcReply, type MenuAction } from './channels.js';

/** An error from the main process, with the parser's problems when there are any. */
class ApiError extends Error {
  constructor(message: string, readonly problems?: InputProblem[]) {
    super(message);
  }
}

async function call(method: string, ...args: unknown[]): Promise<never> {
  const reply = (await ipcRenderer.invoke(CHANNELS.call, { method, args })) as IpcReply;
  if (!reply.ok) throw new ApiError(reply.message, reply.problems);
  return reply.value as never;
}

const listeners = new Map<number, (events: RunEvent[]) => void>();
let nextSubscription = 1;
ipcRenderer.on(CHANNELS.events, (_event, batch: { id: number; events: RunEvent[] }) => listeners.get(batch.id)?.(batch.events));

const shells = new Map<number, (output: ShellOutput) => void>();
let nextShell = 1;
ipcRenderer.on(CHANNELS.shellOutput, (_event, message: { id: number; output: ShellOutput }) => {
  shells.get(message.id)?.(message.output);
  if (message.output.kind === 'exit' || message.output.kind === 'error') shells.delete(message.id);
});

const api: JobsimApi & { pickFolder(): Promise<string | null>; onMenu(listener: (action: MenuAction) => void): () => void } = {
  openProject: (projectDir: string, file?: string, runnerConfig?: string) => call('openProject', projectDir, file, runnerConfig),
  startRun: (request: RunRequest) => call('startRun', request),
  cancelRun: (runId: string) => call('cancelRun', runId),
  listRuns: () => call('listRuns'),
  doctor: () => call('doctor'),
  listCaches: (project?: string) => call('listCaches', project),
  inspectCache: (volume: string, path?: string) => call('inspectCache', volume, path),
  clearCaches: (request) => call('clearCaches', request),
  lintImage: (image: string, profile?: string) => call('lintImage', image, profile),
  saveSecrets: (projectDir: string, secrets: Record<string, string>) => call('saveSecrets', projectDir, secrets),
  compareRuns: (runA: string, runB: string, job?: string) => call('compareRuns', runA, runB, job),
  listKept: () => call('listKept'),
  releaseKept: (runId: string, job: string) => call('releaseKept', runId, job),
  rerun: (request: RerunRequest) => call('rerun', request),
  openShell(target: ShellTarget, size: TerminalSize, onOutput: (output: ShellOutput) => void) {
    const id = nextShell++;
    shells.set(id, onOutput);
    ipcRenderer.send(CHANNELS.shellOpen, { id, target, size });
    return {
      write: (data: string) => ipcRenderer.send(CHANNELS.shellInput, { id, data }),
      resize: (next: TerminalSize) => ipcRenderer.send(CHANNELS.shellResize, { id, size: next }),
      close: () => {
        if (shells.delete(id)) ipcRenderer.send(CHANNELS.shellClose, { id });
      },
    };
  },
  subscribe(runId, onEvents) {
    const id = nextSubscription++;
    listeners.set(id, onEvents);
    ipcRenderer.send(CHANNELS.subscribe, { id, runId });
    return () => {
      listeners.delete(id);
      ipcRenderer.send(CHANNELS.unsubscribe, { id });
    };
  },
  pickFolder: () => ipcRenderer.invoke(CHANNELS.pickFolder) as Promise<string | null>,
  onMenu(listener) {
    const handler = (_event: unknown, action: MenuAction): void => listener(action);
    ipcRenderer.on(CHANNELS.menu, handler);
    return () => ipcRenderer.off(CHANNELS.menu, handler);
  },
};

contextBridge.exposeInMainWorld('jobsim', api);
