// Runs in the sandboxed renderer before the page. Exposes one function per API operation on
// `window.jobsim`; never ipcRenderer itself.

import { contextBridge, ipcRenderer } from 'electron';
import type { CallMethod, DesktopExtras, JobsimApi, MenuAction } from '../../shared/api.js';
import { ApiError, callMethodsVia } from '../../shared/api-client.js';
import type { ShellOutput, ShellTarget, TerminalSize } from '../../shared/debug.js';
import type { RunEvent } from '../../shared/events.js';
import { CHANNELS, type IpcReply } from './channels.js';

async function call(method: CallMethod, args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(CHANNELS.call, { method, args })) as IpcReply;
  if (!reply.ok) throw new ApiError(reply.message, reply.problems);
  return reply.value;
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

const api: JobsimApi & DesktopExtras = {
  ...callMethodsVia(call),
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
