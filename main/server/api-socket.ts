// One WebSocket connection of `jobsim serve`: calls JobsimApi for each request and streams the
// events of the runs the page subscribed to. Arguments are validated before they reach the engine.

import type { WebSocket } from 'ws';
import type { JobsimApi, Unsubscribe } from '../../shared/api.js';
import type { ShellSession } from '../../shared/debug.js';
import { decodeClientMessage, type ServerMessage } from '../../shared/wire.js';
import { callApi, describeApiError } from '../app/api-calls.js';

function errorMessage(id: number, error: unknown): ServerMessage {
  return { kind: 'error', id, ...describeApiError(error) };
}

export function serveApiSocket(socket: WebSocket, api: JobsimApi): void {
  const subscriptions = new Map<number, Unsubscribe>();
  const shells = new Map<number, ShellSession>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const handle = (text: string): void => {
    let message;
    try {
      message = decodeClientMessage(text);
    } catch (error) {
      send(errorMessage(0, error));
      return;
    }
    switch (message.kind) {
      case 'call': {
        const { id } = message;
        callApi(api, message.method, message.args).then(
          (value) => send({ kind: 'result', id, value: value ?? null }),
          (error: unknown) => send(errorMessage(id, error)),
        );
        return;
      }
      case 'subscribe': {
        const { id } = message;
        subscriptions.get(id)?.();
        subscriptions.set(id, api.subscribe(message.runId, (events) => send({ kind: 'events', id, events })));
        return;
      }
      case 'unsubscribe':
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        return;
      case 'shell-open': {
        const { id } = message;
        shells.get(id)?.close();
        try {
          shells.set(id, api.openShell(message.target, message.size, (output) => {
            send({ kind: 'shell', id, output });
            if (output.kind === 'exit' || output.kind === 'error') shells.delete(id);
          }));
        } catch (error) {
          send({ kind: 'shell', id, output: { kind: 'error', message: describeApiError(error).message } });
        }
        return;
      }
      case 'shell-input':
        shells.get(message.id)?.write(message.data);
        return;
      case 'shell-resize':
        shells.get(message.id)?.resize(message.size);
        return;
      case 'shell-close':
        shells.get(message.id)?.close();
        shells.delete(message.id);
        return;
    }
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ kind: 'error', id: 0, message: 'bad request: binary messages are not accepted' });
      return;
    }
    // A throw here would escape through ws's frame parser and end the process, with every run it drives.
    try {
      handle(data.toString());
    } catch (error) {
      send(errorMessage(0, error));
    }
  });

  // A protocol error (too big, invalid UTF-8, a bad frame): ws has already closed this connection with
  // a code and a reason (ApiClientSocket); without this handler the error would end the process.
  socket.on('error', (error) => {
    process.stderr.write(`jobsim: closed a UI connection: ${error.message}\n`);
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
    // A closed tab must not leave shells running in containers.
    for (const shell of shells.values()) shell.close();
    shells.clear();
  });
}
