// JobsimApi over `jobsim serve`'s WebSocket. Calls are request/response by id; subscriptions stream
// event batches. After a dropped connection it reconnects and resubscribes; callers see the state
// through `onStatus`.

import type { CallMethod, JobsimApi } from '../../../shared/api.js';
import { ApiError, callMethodsVia } from '../../../shared/api-client.js';
import type { ShellOutput } from '../../../shared/debug.js';
import type { RunEvent } from '../../../shared/events.js';
import { decodeServerMessage, type ClientMessage } from '../../../shared/wire.js';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface SocketApi extends JobsimApi {
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export function connectSocketApi(url: string, WebSocketImpl: typeof WebSocket = WebSocket): SocketApi {
  let nextId = 1;
  let socket: WebSocket;
  let status: ConnectionStatus = 'connecting';
  let closed = false;
  let retryDelay = 250;
  const pending = new Map<number, Pending>();
  const outbox: ClientMessage[] = [];
  const subscriptions = new Map<number, { runId: string; onEvents: (events: RunEvent[]) => void }>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const shells = new Map<number, (output: ShellOutput) => void>();

  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const send = (message: ClientMessage): void => {
    if (socket.readyState === WebSocketImpl.OPEN) socket.send(JSON.stringify(message));
    else outbox.push(message);
  };

  const open = (): void => {
    socket = new WebSocketImpl(url);
    socket.onopen = () => {
      retryDelay = 250;
      setStatus('open');
      for (const [id, sub] of subscriptions) socket.send(JSON.stringify({ kind: 'subscribe', id, runId: sub.runId } satisfies ClientMessage));
      for (const message of outbox.splice(0)) socket.send(JSON.stringify(message));
    };
    socket.onmessage = (event: MessageEvent) => {
      const message = decodeServerMessage(String(event.data));
      if (message.kind === 'events') {
        subscriptions.get(message.id)?.onEvents(message.events);
        return;
      }
      if (message.kind === 'shell') {
        shells.get(message.id)?.(message.output);
        if (message.output.kind === 'exit' || message.output.kind === 'error') shells.delete(message.id);
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.kind === 'result') waiting.resolve(message.value);
      else waiting.reject(new ApiError(message.message, message.problems));
    };
    socket.onclose = (event: CloseEvent) => {
      if (closed) return;
      // The server answers a bad token by refusing the upgrade; the browser reports code 1006 without
      // ever opening. Retrying cannot help then.
      if (status === 'connecting' && event.code === 1006) {
        setStatus('unauthorized');
        for (const waiting of pending.values()) waiting.reject(new ApiError('the jobsim server refused this page: open the URL `jobsim serve` printed'));
        pending.clear();
        return;
      }
      setStatus('reconnecting');
      for (const waiting of pending.values()) waiting.reject(new ApiError('lost the connection to jobsim serve'));
      pending.clear();
      // The server closed these shells with the connection; a shell is not resumed.
      for (const onOutput of shells.values()) onOutput({ kind: 'error', message: 'lost the connection to jobsim serve; open a new shell' });
      shells.clear();
      setTimeout(open, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    };
  };
  open();

  const call = (method: CallMethod, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ kind: 'call', id, method, args });
    });

  return {
    ...callMethodsVia(call),
    openShell(target, size, onOutput) {
      const id = nextId++;
      shells.set(id, onOutput);
      send({ kind: 'shell-open', id, target, size });
      return {
        write: (data) => {
          if (shells.has(id)) send({ kind: 'shell-input', id, data });
        },
        resize: (next) => {
          if (shells.has(id)) send({ kind: 'shell-resize', id, size: next });
        },
        close: () => {
          if (shells.delete(id)) send({ kind: 'shell-close', id });
        },
      };
    },
    subscribe(runId, onEvents) {
      const id = nextId++;
      subscriptions.set(id, { runId, onEvents });
      send({ kind: 'subscribe', id, runId });
      return () => {
        subscriptions.delete(id);
        send({ kind: 'unsubscribe', id });
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
