import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyPullFailure, isRetryable, PullError } from '../../../main/engine/pull/failure.js';

describe('classifyPullFailure', () => {
  it.each([
    ['manifest for 127.0.0.1:5000/x:1 not found: manifest unknown: manifest unknown', 'not-found'],
    ["pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", 'not-found'],
    ['Head "http://127.0.0.1:5001/v2/jobsim/shell/manifests/1": no basic auth credentials', 'auth'],
    ['unauthorized: authentication required', 'auth'],
    ['Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused', 'transient'],
    ['received unexpected HTTP status: 503 Service Unavailable', 'transient'],
    ['net/http: TLS handshake timeout', 'transient'],
    ['toomanyrequests: You have reached your pull rate limit', 'transient'],
    ['http: server gave HTTP response to HTTPS client', 'other'],
  ] as const)('%s → %s', (message, kind) => {
    expect(classifyPullFailure(message)).toBe(kind);
  });

  it('treats a cancel as canceled whatever the message', () => {
    expect(classifyPullFailure('connection refused', true)).toBe('canceled');
  });

  it('retries only transient errors', () => {
    expect(isRetryable('transient')).toBe(true);
    for (const kind of ['not-found', 'auth', 'canceled', 'other'] as const) expect(isRetryable(kind)).toBe(false);
  });
});

describe('backoffDelay', () => {
  const settings = { retries: 3, minDelayMs: 2000, maxDelayMs: 10_000 };
  it('stays within GitLab bounds and grows', () => {
    for (let retry = 1; retry <= 5; retry += 1) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = backoffDelay(retry, settings, () => random);
        expect(delay).toBeGreaterThanOrEqual(2000);
        expect(delay).toBeLessThanOrEqual(10_000);
      }
    }
    expect(backoffDelay(3, settings, () => 0.999)).toBeGreaterThan(backoffDelay(1, settings, () => 0.999));
  });
});

describe('PullError', () => {
  it('maps kinds to job failure reasons', () => {
    expect(new PullError('x', { image: 'a:1', kind: 'not-found' }).reason).toEqual({ kind: 'image-not-found', image: 'a:1' });
    expect(new PullError('x', { image: 'a:1', kind: 'auth' }).reason).toEqual({ kind: 'pull-failed', image: 'a:1' });
    expect(new PullError('x', { image: 'a:1', kind: 'canceled' }).reason).toEqual({ kind: 'canceled' });
  });
});
