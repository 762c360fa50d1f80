// GET for included files: Node's fetch with a timeout. A host that fails once is not asked again during
// the same load, so an offline laptop waits for one timeout, not one per include.

import { MAX_FILE_BYTES } from './yaml-source.js';

export type FetchOutcome =
  | { kind: 'ok'; text: string }
  /** The server answered, with an error status. */
  | { kind: 'status'; status: number }
  /** No answer: offline, DNS, refused, timeout, TLS. */
  | { kind: 'offline'; reason: string };

export interface HttpSettings {
  timeoutMs: number;
  /** No request at all (`JOBSIM_OFFLINE=1`, tests): only cached copies are used. */
  offline: boolean;
}

export const DEFAULT_TIMEOUT_MS = 8000;

export class IncludeHttp {
  private readonly silentHosts = new Map<string, string>();

  constructor(private readonly settings: HttpSettings) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<FetchOutcome> {
    if (this.settings.offline) return { kind: 'offline', reason: 'jobsim works offline (JOBSIM_OFFLINE=1)' };
    const host = new URL(url).host;
    const known = this.silentHosts.get(host);
    if (known) return { kind: 'offline', reason: known };
    try {
      // With a token, never follow a redirect: the header would travel to wherever it points.
      const redirect = Object.keys(headers).length > 0 ? 'manual' : 'follow';
      const response = await fetch(url, { headers, redirect, signal: AbortSignal.timeout(this.settings.timeoutMs) });
      const length = Number(response.headers.get('content-length') ?? '0');
      if (!response.ok || length > MAX_FILE_BYTES) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'status', status: response.ok ? 413 : response.status };
      }
      const text = await response.text();
      if (Buffer.byteLength(text) > MAX_FILE_BYTES) return { kind: 'status', status: 413 };
      return { kind: 'ok', text };
    } catch (error) {
      const reason = `${host} did not answer (${describeFailure(error, this.settings.timeoutMs)})`;
      this.silentHosts.set(host, reason);
      return { kind: 'offline', reason };
    }
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}
