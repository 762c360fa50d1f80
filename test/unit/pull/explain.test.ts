import { describe, expect, it } from 'vitest';
import type { PullEvent } from '../../../shared/events.js';
import { explainPull } from '../../../shared/pull-explain.js';

const base: PullEvent = {
  type: 'pull',
  runId: 'r',
  time: 0,
  job: 'test',
  container: 'build',
  image: 'ruby:3.3',
  normalized: 'docker.io/library/ruby:3.3',
  policies: ['always', 'if-not-present'],
  policySource: 'job-file',
  allowedPolicies: ['always', 'if-not-present'],
  effectivePolicies: ['always', 'if-not-present'],
  attempt: 1,
  policy: 'always',
  decision: 'failed',
  reason: 'pull failed: connection refused',
  localPresent: true,
  localDigest: `sha256:${'a'.repeat(64)}`,
  localCreated: '2026-01-02T03:04:05Z',
};

describe('explainPull', () => {
  it('explains a failed attempt and names the fallback', () => {
    const text = explainPull(base).join(' ');
    expect(text).toContain('the job file (image:pull_policy)');
    expect(text).toContain('This attempt failed: pull failed: connection refused.');
    expect(text).toContain('Next, "if-not-present" was tried.');
    expect(text).toContain('built 2026-01-02');
  });

  it('warns that if-not-present may hide a newer tag', () => {
    const text = explainPull({ ...base, attempt: 2, policy: 'if-not-present', decision: 'used-local', reason: 'present locally and the policy is if-not-present' }).join(' ');
    expect(text).toContain('a newer version of this tag may exist');
  });

  it('says when the tag has moved', () => {
    const text = explainPull({ ...base, decision: 'pulled', reason: 'the policy is always', remoteDigest: `sha256:${'b'.repeat(64)}` }).join(' ');
    expect(text).toContain('the tag has moved');
  });
});

describe('explainPull with a narrowed policy list', () => {
  it('names the next policy from the effective list, not the requested one the runner skipped', () => {
    // Requested [always, never, if-not-present]; the runner allows only always and if-not-present.
    const event: PullEvent = { ...base, policies: ['always', 'never', 'if-not-present'], allowedPolicies: ['always', 'if-not-present'], effectivePolicies: ['always', 'if-not-present'] };
    const text = explainPull(event).join(' ');
    expect(text).toContain('Next, "if-not-present" was tried.');
    expect(text).not.toContain('Next, "never"');
    expect(text).toContain('the allowed ones, tried in order: [always, if-not-present]');
  });
});
