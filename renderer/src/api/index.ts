// Picks how the renderer reaches jobsim: the Electron preload's `window.jobsim` when present, else
// `jobsim serve`'s WebSocket with the token from the page URL.

import type { DesktopExtras, JobsimApi } from '../../../shared/api.js';
import { connectSocketApi, type ConnectionStatus } from './socket-client.js';

export { ApiError } from '../../../shared/api-client.js';
export type { DesktopExtras } from '../../../shared/api.js';
export type { ConnectionStatus } from './socket-client.js';

export interface ConnectedApi {
  api: JobsimApi;
  host: 'desktop' | 'browser';
  desktop?: DesktopExtras;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

declare global {
  interface Window {
    jobsim?: JobsimApi & DesktopExtras;
  }
}

export function connectApi(location: Location = window.location): ConnectedApi {
  if (window.jobsim) {
    const bridge = window.jobsim;
    return {
      api: bridge,
      host: 'desktop',
      desktop: bridge,
      onStatus: (listener) => {
        listener('open');
        return () => undefined;
      },
    };
  }
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socketApi = connectSocketApi(`${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`);
  return { api: socketApi, host: 'browser', onStatus: socketApi.onStatus };
}
