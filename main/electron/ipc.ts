// The IPC handlers behind the preload's API. Every message is dropped unless it comes from our own
// window, and every argument is validated (shared/wire.ts) before it reaches the engine.

import type { JobsimApi, Unsubscribe } from '../../shared/api.js';
import type { ShellSession } from '../../shared/debug.js';
import { isCallMethod, isRunId, shellTarget, terminalSize, WireError } from '../../shared/wire.js';
import { callApi, describeApiError } from '../app/api-calls.js';
import { CHANNELS, type IpcReply } from './channels.js';
import type { IpcEventLike, IpcMainLike, WebContentsLike } from './deps.js';

export function replyForError(error: unknown): IpcReply {
  return { ok: false, ...describeApiError(error) };
}

export interface IpcOptions {
  api: JobsimApi;
  /** True only for the webContents of our own window. */
  isOurWindow(sender: WebContentsLike): boolean;
  pickFolder(sender: WebContentsLike): Promise<string | null>;
}

/** Returns `closeAll`: the window is gone, so its shells and subscriptions end (a shell must not keep running in a container). */
export function registerIpcHandlers(ipcMain: IpcMainLike, options: IpcOptions): { closeAll(): void } {
  const { api, isOurWindow } = options;
  const subscriptions = new Map<string, Unsubscribe>();
  const shells = new Map<string, ShellSession>();
  const key = (sender: WebContentsLike, id: number): string => `${sender.id}:${id}`;

  ipcMain.handle(CHANNELS.call, async (event: IpcEventLike, request: unknown): Promise<IpcReply> => {
    if (!isOurWindow(event.sender)) return { ok: false, message: 'refused: not a jobsim window' };
    try {
      const { method, args } = (request ?? {}) as { method?: unknown; args?: unknown };
      if (!isCallMethod(method)) throw new WireError(`unknown method ${JSON.stringify(method)}`);
      if (!Array.isArray(args)) throw new WireError('args must be an array');
      const value = await callApi(api, method, args);
      return { ok: true, value: value ?? null };
    } catch (error) {
      return replyForError(error);
    }
  });

  ipcMain.handle(CHANNELS.pickFolder, async (event: IpcEventLike): Promise<string | null> => {
    if (!isOurWindow(event.sender)) return null;
    return options.pickFolder(event.sender);
  });

  ipcMain.on(CHANNELS.subscribe, (event: IpcEventLike, request: unknown) => {
    if (!isOurWindow(event.sender)) return;
    const { id, runId } = (request ?? {}) as { id?: unknown; runId?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof runId !== 'string' || !isRunId(runId)) return;
    const sender = event.sender;
    subscriptions.get(key(sender, id))?.();
    subscriptions.set(key(sender, id), api.subscribe(runId, (events) => {
      if (!sender.isDestroyed()) sender.send(CHANNELS.events, { id, events });
    }));
  });

  const shellId = (request: unknown): number | undefined => {
    const id = (request as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
  };

  ipcMain.on(CHANNELS.shellOpen, (event: IpcEventLike, request: unknown) => {
    if (!isOurWindow(event.sender)) return;
    const id = shellId(request);
    if (id === undefined) return;
    const sender = event.sender;
    const reply = (output: unknown): void => {
      if (!sender.isDestroyed()) sender.send(CHANNELS.shellOutput, { id, output });
    };
    shells.get(key(sender, id))?.close();
    try {
      const { target, size } = request as { target?: unknown; size?: unknown };
      shells.set(key(sender, id), api.openShell(shellTarget(target), terminalSize(size), (output) => {
        reply(output);
        if (output.kind === 'exit' || output.kind === 'error') shells.delete(key(sender, id));
      }));
    } catch (error) {
      reply({ kind: 'error', message: describeApiError(error).message });
    }
  });

  ipcMain.on(CHANNELS.shellInput, (event: IpcEventLike, request: unknown) => {
    const id = shellId(request);
    const data = (request as { data?: unknown } | null)?.data;
    if (!isOurWindow(event.sender) || id === undefined || typeof data !== 'string') return;
    shells.get(key(event.sender, id))?.write(data);
  });

  ipcMain.on(CHANNELS.shellResize, (event: IpcEventLike, request: unknown) => {
    const id = shellId(request);
    if (!isOurWindow(event.sender) || id === undefined) return;
    try {
      shells.get(key(event.sender, id))?.resize(terminalSize((request as { size?: unknown }).size));
    } catch {
      // A bad size from the page is dropped; the shell keeps its size.
    }
  });

  ipcMain.on(CHANNELS.shellClose, (event: IpcEventLike, request: unknown) => {
    const id = shellId(request);
    if (!isOurWindow(event.sender) || id === undefined) return;
    shells.get(key(event.sender, id))?.close();
    shells.delete(key(event.sender, id));
  });

  ipcMain.on(CHANNELS.unsubscribe, (event: IpcEventLike, request: unknown) => {
    if (!isOurWindow(event.sender)) return;
    const { id } = (request ?? {}) as { id?: unknown };
    if (typeof id !== 'number') return;
    subscriptions.get(key(event.sender, id))?.();
    subscriptions.delete(key(event.sender, id));
  });

  return {
    closeAll() {
      for (const shell of shells.values()) shell.close();
      shells.clear();
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
    },
  };
}
