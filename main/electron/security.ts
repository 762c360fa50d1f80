// The desktop window's security guards in one place: no navigation away from our page, no new windows,
// no permissions, and a strict Content-Security-Policy on everything the session loads.

import { CONTENT_SECURITY_POLICY } from '../server/static-files.js';
import type { SessionLike, WebContentsLike } from './deps.js';

export function denyNavigation(contents: WebContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Vite's dev server (npm start) injects an inline module script for hot reload. */
const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:*");

export function lockDownSession(session: SessionLike, dev = false): void {
  const policy = dev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
