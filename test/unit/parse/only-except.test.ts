// `only` / `except` on the examples of GitLab's CI YAML reference ("only / except", "only:refs",
// "only:variables"), for a push pipeline on the checked-out branch.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { refPolicyDecision, type SimulatedRef } from '../../../main/parse/only-except.js';
import { parseExpression } from '../../../main/parse/if-expression.js';
import { job, load, loadError, writeProject } from './helpers.js';

/** A git repository on `branch` holding the given CI file. */
function repoOn(branch: string, yaml: string): string {
  const dir = writeProject({ '.gitlab-ci.yml': yaml });
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
  };
  git('init', '-q', '-b', branch);
  git('add', '.');
  git('commit', '-q', '-m', 'ci');
  return dir;
}

const PIPELINE = [
  'image: busybox:1.36',
  'always-there:',
  '  script: x',
  'main-only:',
  '  script: x',
  '  only: [main]',
  'release-branches:',
  '  script: x',
  '  only:',
  '    - /^release-.*$/',
  'not-on-main:',
  '  script: x',
  '  except: [main]',
  'tags-only:',
  '  script: x',
  '  only: [tags]',
  'mr-only:',
  '  script: x',
  '  only: [merge_requests]',
  'branches-and-var:',
  '  script: x',
  '  variables: {DEPLOY: "yes"}',
  '  only:',
  '    refs: [branches]',
  '    variables: [$DEPLOY == "yes"]',
  'except-var:',
  '  script: x',
  '  except:',
  '    variables: [$CI_COMMIT_BRANCH == "main"]',
  'other-project:',
  '  script: x',
  '  only: [main@someone/else]',
  '',
].join('\n');

describe('only / except on a push pipeline', () => {
  it('on main: keeps the jobs whose only matches and except does not, and says why the others are out', async () => {
    const plan = await load(repoOn('main', PIPELINE));
    const state = Object.fromEntries(plan.jobs.map((j) => [j.name, j.when === 'never' ? 'out' : 'in']));
    expect(state).toEqual({
      'always-there': 'in',
      'main-only': 'in',
      'release-branches': 'out',
      'not-on-main': 'out',
      'tags-only': 'out',
      'mr-only': 'out',
      'branches-and-var': 'in',
      'except-var': 'out',
      'other-project': 'out',
    });
    expect(job(plan, 'tags-only').excludedBy).toBe('only: refs [tags] does not match branch "main" (push)');
    expect(job(plan, 'not-on-main').excludedBy).toBe('except: refs [main] matches branch "main" (push)');
    expect(job(plan, 'except-var').excludedBy).toBe('except: variables [$CI_COMMIT_BRANCH == "main"] matches branch "main" (push)');
    expect(plan.warnings.map((w) => w.message).join('\n')).not.toMatch(/only|except/);
  });

  it('on release-1.2: the regex job runs, the main job does not', async () => {
    const plan = await load(repoOn('release-1.2', PIPELINE));
    expect(job(plan, 'release-branches').when).toBe('on_success');
    expect(job(plan, 'main-only').when).toBe('never');
    expect(job(plan, 'not-on-main').when).toBe('on_success');
    expect(job(plan, 'except-var').when).toBe('on_success');
  });

  it('refuses only/except together with rules, with file:line', async () => {
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  rules: [{when: always}]\n  only: [main]\n')).toMatch(/\.gitlab-ci\.yml:5:\d+.*only may not be used with rules/);
  });
});

describe('refPolicyDecision: the sources GitLab names', () => {
  const on = (source: string, kind: SimulatedRef['kind'] = 'branch', ref = 'main'): SimulatedRef => ({ ref, kind, source, projectPath: 'group/app' });
  const none = (): undefined => undefined;
  const where = { file: 'f', line: 1, col: 1 };

  it('matches pipeline sources by their plural (schedules, merge_requests, pushes, web, api, triggers)', () => {
    expect(refPolicyDecision({ refs: ['schedules'], where }, undefined, on('schedule'), none)).toEqual({ included: true });
    expect(refPolicyDecision({ refs: ['merge_requests'], where }, undefined, on('merge_request_event'), none)).toEqual({ included: true });
    expect(refPolicyDecision({ refs: ['pushes'], where }, undefined, on('push'), none)).toEqual({ included: true });
    expect(refPolicyDecision({ refs: ['web'], where }, undefined, on('web'), none)).toEqual({ included: true });
    expect(refPolicyDecision({ refs: ['triggers'], where }, undefined, on('trigger'), none)).toEqual({ included: true });
    // A branch name never matches a merge request pipeline, and the default (branches, tags) leaves it out too.
    expect(refPolicyDecision({ refs: ['main'], where }, undefined, on('merge_request_event'), none).included).toBe(false);
    expect(refPolicyDecision(undefined, undefined, on('merge_request_event', 'branch'), none).included).toBe(false);
    expect(refPolicyDecision(undefined, undefined, on('push', 'tag', 'v1.0'), none)).toEqual({ included: true });
  });

  it('case-insensitive regexes and variables expressions', () => {
    expect(refPolicyDecision({ refs: ['/^FEATURE-/i'], where }, undefined, on('push', 'branch', 'feature-x'), none)).toEqual({ included: true });
    const lookup = (name: string): string | undefined => (name === 'RELEASE' ? 'staging' : undefined);
    expect(refPolicyDecision({ variables: [{ expr: parseExpression('$RELEASE == "staging"'), text: '$RELEASE == "staging"' }], where }, undefined, on('push'), lookup)).toEqual({ included: true });
    expect(refPolicyDecision(undefined, { refs: ['tags'], where }, on('push', 'tag', 'v1'), none).included).toBe(false);
  });
});
