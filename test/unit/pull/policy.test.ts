import { describe, expect, it } from 'vitest';
import { checkAllowList, matchingPattern } from '../../../main/engine/pull/allow-list.js';
import type { ImageRefusedError } from '../../../main/engine/pull/failure.js';
import { effectivePolicies, formatPolicyList } from '../../../main/engine/pull/policy.js';
import { InputError } from '../../../main/errors.js';
import type { PullPlan } from '../../../shared/plan.js';

const plan = (extra: Partial<PullPlan>): PullPlan => ({ policies: [], source: 'job-file', allowed: [], allowedSource: 'default', ...extra });

describe('effectivePolicies', () => {
  it('defaults to always', () => {
    expect(effectivePolicies(plan({}))).toEqual(['always']);
  });

  it('keeps the requested order and repeats, intersected with the allowed list', () => {
    expect(effectivePolicies(plan({ policies: ['always', 'never', 'if-not-present', 'always'], allowed: ['if-not-present', 'always'] }))).toEqual([
      'always',
      'if-not-present',
      'always',
    ]);
  });

  it('allows everything requested when allowed_pull_policies is empty', () => {
    expect(effectivePolicies(plan({ policies: ['never'] }))).toEqual(['never']);
  });

  it.each([
    ['job-file', 'GitLab pipeline config'],
    ['runner-config', 'Runner config'],
    ['default', 'Runner config (default)'],
  ] as const)('names the %s source in GitLab words', (source, words) => {
    expect(() => effectivePolicies(plan({ policies: ['always', 'if-not-present'], source, allowed: ['never'] }))).toThrow(
      new InputError(`pull_policy ([always if-not-present]) defined in ${words} is not one of the allowed_pull_policies ([never])`),
    );
  });

  it('formats lists like Go does', () => {
    expect(formatPolicyList([])).toBe('[]');
    expect(formatPolicyList(['always'])).toBe('[always]');
  });
});

describe('allowed_images', () => {
  it('matches doublestar-style globs against the name as written', () => {
    expect(matchingPattern('ruby:3.3', ['ruby:*'])).toBe('ruby:*');
    expect(matchingPattern('registry.example.com/team/app:1', ['registry.example.com/*'])).toBeUndefined();
    expect(matchingPattern('registry.example.com/team/app:1', ['registry.example.com/**'])).toBe('registry.example.com/**');
    expect(matchingPattern('postgres:16', ['postgres:1?'])).toBe('postgres:1?');
  });

  it('allows anything when the list is empty, and the runner default image always', () => {
    expect(() => checkAllowList({ kind: 'images', image: 'anything', patterns: [] })).not.toThrow();
    expect(() => checkAllowList({ kind: 'images', image: 'alpine:3', patterns: ['ruby:*'], defaultImage: 'alpine:3' })).not.toThrow();
  });

  it('refuses with a message that lists the rules and points at the source location', () => {
    const where = { file: '.gitlab-ci.yml', line: 3, col: 10 };
    let caught: unknown;
    try {
      checkAllowList({ kind: 'services', image: 'mysql:8', patterns: ['postgres:*', 'redis:*'], where });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as ImageRefusedError).reason).toEqual({ kind: 'not-allowed', image: 'mysql:8' });
    const message = (caught as InputError).message;
    expect(message).toMatch(/^\.gitlab-ci\.yml:3:10: The "mysql:8" image is not present on list of allowed services/);
    expect(message).toContain('allowed_services');
    expect(message).toContain('- postgres:*\n- redis:*');
  });
});
