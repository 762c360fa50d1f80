// `jobsim serve`: the renderer and the API over one HTTP server on loopback. Every request needs the
// token from the printed URL; the WebSocket also needs our own Origin.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { JobsimApi } from '../../shared/api.js';
import { allowedHosts, hostAllowed, isLoopbackHost, newToken, originAllowed, requestToken, requestUrl, TOKEN_COOKIE, tokensMatch } from './access.js';
import { serveApiSocket } from './api-socket.js';
import { ApiClientSocket, MAX_MESSAGE_BYTES } from './client-socket.js';
import { SECURITY_HEADERS, serveStatic } from './static-files.js';

export const API_PATH = '/api';

export interface ServerOptions {
  api: JobsimApi;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Binding anything but loopback exposes the Docker engine to the network: the caller must ask for it. */
  allowRemote?: boolean;
  /** For tests; a random one otherwise. */
  token?: string;
}

export interface RunningServer {
  /** The URL to open, with the token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

function refuseUpgrade(socket: Duplex, status: string): void {
  // Node removes its own error handler from a socket it hands to 'upgrade': a client resetting the
  // connection while we answer must not crash the server.
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!isLoopbackHost(options.host) && !options.allowRemote) {
    throw new Error(`refusing to listen on ${options.host}: only loopback is allowed without --host`);
  }
  const token = options.token ?? newToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, WebSocket: ApiClientSocket });
  let hosts = new Set<string>();
  const remote = !isLoopbackHost(options.host);

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!hostAllowed(request, hosts, remote)) return refuse(response, 403, 'forbidden host');
    const url = requestUrl(request);
    if (!url) return refuse(response, 400, 'bad request: the request target is not a URL path');
    const { token: given, fromQuery } = requestToken(request);
    if (!tokensMatch(given, token)) return refuse(response, 401, 'unauthorized: open the URL that `jobsim serve` printed');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'method not allowed');
    if (fromQuery) response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    serveStatic(options.staticDir, url.pathname, response).catch(() => refuse(response, 500, 'could not read the file'));
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (requestUrl(request)?.pathname !== API_PATH || !hostAllowed(request, hosts, remote)) return refuseUpgrade(socket, '403 Forbidden');
    if (!tokensMatch(requestToken(request).token, token)) return refuseUpgrade(socket, '401 Unauthorized');
    if (!originAllowed(request)) return refuseUpgrade(socket, '403 Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => serveApiSocket(ws, options.api));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server's errors (a failed accept under fd exhaustion) must not end the runs it drives.
  server.on('error', (error) => process.stderr.write(`jobsim: the UI server: ${error.message}\n`));
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
