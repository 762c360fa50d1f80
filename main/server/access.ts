// Who may talk to `jobsim serve`: a request must carry the token printed in the URL, and a WebSocket
// must also come from the page we served (Origin check), so other web pages in the same browser cannot
// drive the local Docker engine.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'jobsim_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The request's path and query, or undefined for a target that is no URL (`GET //`): new URL would throw. */
export function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://placeholder');
  } catch {
    return undefined;
  }
}

/** The token from `?token=` (first page load, WebSocket) or from the cookie set on the first load. */
export function requestToken(request: IncomingMessage): { token: string | undefined; fromQuery: boolean } {
  const query = requestUrl(request)?.searchParams.get('token') ?? null;
  if (query !== null) return { token: query, fromQuery: true };
  return { token: cookieToken(request), fromQuery: false };
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Host names the server answers to. A browser sends the Host it connected to; refusing others keeps a
 * DNS-rebinding page (evil.example resolving to 127.0.0.1) out even before the token check.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  names.add(bindHost.includes(':') ? `[${bindHost}]:${port}` : `${bindHost}:${port}`);
  return names;
}

export function hostAllowed(request: IncomingMessage, hosts: Set<string>, remoteAllowed: boolean): boolean {
  const host = request.headers.host;
  if (!host) return false;
  return remoteAllowed || hosts.has(host);
}

/** A WebSocket must come from the page we served: same scheme, host and port as the request's Host. */
export function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  return origin !== undefined && host !== undefined && origin === `http://${host}`;
}
