// Why a pull failed, from the engine's error text, and whether trying again could help. GitLab Runner retries
// transient registry errors (network, 5xx, timeouts) and never retries missing images, auth denials or a
// cancel; we follow it.

import type { FailureReason, PullRefusalRule } from '../../../shared/events.js';
import type { SourceLocation } from '../../../shared/plan.js';
import { InputError } from '../../errors.js';

export type PullFailureKind = 'not-found' | 'auth' | 'canceled' | 'transient' | 'other';

const NOT_FOUND = /manifest unknown|manifest for \S+ not found|not found: manifest|repository does not exist|no such image|name unknown|\bnot found\b/i;
const AUTH = /unauthorized|authentication required|no basic auth credentials|access denied|denied:|forbidden|incorrect username or password|invalid username\/password/i;
const TRANSIENT =
  /connection refused|connection reset|i\/o timeout|timeout|timed out|\bEOF\b|temporary failure|no such host|network is unreachable|TLS handshake|service unavailable|bad gateway|internal server error|too many requests|toomanyrequests|\b50[0234]\b|\b429\b/i;

/** Classifies a pull error message. `pull access denied … may require 'docker login'` counts as not-found. */
export function classifyPullFailure(message: string, canceled = false): PullFailureKind {
  if (canceled) return 'canceled';
  if (/pull access denied/i.test(message)) return 'not-found';
  if (AUTH.test(message)) return 'auth';
  if (NOT_FOUND.test(message)) return 'not-found';
  if (/context canceled/i.test(message)) return 'canceled';
  if (TRANSIENT.test(message)) return 'transient';
  return 'other';
}

export function isRetryable(kind: PullFailureKind): boolean {
  return kind === 'transient';
}

/** No pull policy made the image available. Carries the job's failure reason and what to do about it. */
export class PullError extends Error {
  readonly image: string;
  readonly kind: PullFailureKind;
  readonly reason: FailureReason;
  /** What the user can do next. */
  readonly advice?: string;
  constructor(message: string, options: { image: string; kind: PullFailureKind; advice?: string }) {
    super(message);
    this.name = 'PullError';
    this.image = options.image;
    this.kind = options.kind;
    this.advice = options.advice;
    this.reason =
      options.kind === 'canceled'
        ? { kind: 'canceled' }
        : options.kind === 'not-found'
          ? { kind: 'image-not-found', image: options.image }
          : { kind: 'pull-failed', image: options.image };
  }
}

/** An allow-list or pool rule refuses the image (before any pull). The job fails with reason `not-allowed`. */
export class ImageRefusedError extends InputError {
  readonly reason: FailureReason;
  constructor(message: string, image: string, readonly rule: PullRefusalRule, where?: SourceLocation) {
    super(message, where);
    this.name = 'ImageRefusedError';
    this.reason = { kind: 'not-allowed', image };
  }
}

export interface RetrySettings {
  /** Extra attempts after the first for transient errors (GitLab: 3). */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { retries: 3, minDelayMs: 2000, maxDelayMs: 10_000 };

/** Jittered exponential backoff before retry number `retry` (1-based), within [min, max]. */
export function backoffDelay(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  const base = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** (retry - 1));
  const jittered = base / 2 + random() * (base / 2);
  return Math.round(Math.max(settings.minDelayMs, Math.min(settings.maxDelayMs, jittered)));
}

/** Waits `ms`, rejecting with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
