// One WebSocket connection of `jobsim serve`: calls JobsimApi for each request and streams the
// events of the runs the page subscribed to. Arguments are validated before they reach the engine.

import type { WebSocket } from 'ws';
import type { JobsimApi, Unsubscribe } from '../../shared/api.js';
import { decodeClientMessage, type ServerMessage } from '../../shared/wire.js';
import { callApi, describeApiError } from '../app/api-calls.js';

function errorMessage(id: number, error: unknown): ServerMessage {
  return { kind: 'error', id, ...describeApiError(error) };
}

export function serveApiSocket(socket: WebSocket, api: JobsimApi): void {
  const subscriptions = new Map<number, Unsubscribe>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ kind: 'error', id: 0, message: 'bad request: binary messages are not accepted' });
      return;
    }
    let message;
    try {
      message = decodeClientMessage(data.toString());
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
    }
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
