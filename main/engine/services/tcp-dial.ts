// Health probe from jobsim's own process: dial the service's IP on the job's bridge network. This only
// works where the host routes to Docker bridge networks (a local Linux engine); hostRoutes() finds out
// with one round of dials. Docs: docs/services.md.

import { connect } from 'node:net';

export type DialResult = { kind: 'connected'; port: number } | { kind: 'stopped'; error: string };

const ROUTE_PROBE_TIMEOUT_MS = 1000;
/** Host dials cost about a millisecond, so they are repeated faster than the runner's once per second. */
const DIAL_INTERVAL_MS = 200;

/** An error code that proves the host reached the container's network stack (it answered with a reset). */
const REACHED = 'ECONNREFUSED';

type DialError = { code: string; message: string };

function dialOnce(host: string, port: number, timeoutMs: number): Promise<DialError | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (error: DialError | undefined): void => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => finish({ code: 'ETIMEDOUT', message: `dial tcp ${host}:${port}: i/o timeout` }));
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'EUNKNOWN';
      finish({ code, message: `dial tcp ${host}:${port}: ${code === REACHED ? 'connect: connection refused' : code}` });
    });
  });
}

export type RouteCheck = { kind: 'connected'; port: number } | { kind: 'routable' } | { kind: 'unroutable'; error: string };

/**
 * One round of dials: connected, or every port refused (the host routes to the network, nothing listens
 * yet), or something else (timeouts, unreachable: the host cannot see the network; probe from inside).
 */
export async function hostRoutes(host: string, ports: number[]): Promise<RouteCheck> {
  for (const port of ports) {
    const error = await dialOnce(host, port, ROUTE_PROBE_TIMEOUT_MS);
    if (error === undefined) return { kind: 'connected', port };
    if (error.code !== REACHED) return { kind: 'unroutable', error: error.message };
  }
  return { kind: 'routable' };
}

/** Dials each port every DIAL_INTERVAL_MS until one connects or `stop` resolves. */
export async function dialUntilConnected(host: string, ports: number[], stop: Promise<void>): Promise<DialResult> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  let lastError = 'no TCP connection succeeded';
  while (!stopped) {
    for (const port of ports) {
      const error = await dialOnce(host, port, 1000);
      if (error === undefined) return { kind: 'connected', port };
      lastError = error.message;
      if (stopped) break;
    }
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, DIAL_INTERVAL_MS))]);
  }
  return { kind: 'stopped', error: lastError };
}
