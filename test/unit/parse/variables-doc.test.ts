// docs/variables.md names every variable jobsim sets, and names no other as set: the keys of every kind of
// pipeline (push, tag, merge request; GitLab.com origin for Pages; parallel instances) against the doc.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PipelinePlan } from '../../../shared/plan.js';
import { load, writeProject } from './helpers.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/variables.md', import.meta.url)), 'utf8');
/** Set by the engine when the job runs (main/engine/run-one-job.ts), not in the plan. */
const ENGINE_KEYS = ['CI_BUILD_NETWORK_NAME', 'CI_JOB_STATUS'];

function predefinedKeys(plans: PipelinePlan[]): Set<string> {
  return new Set(plans.flatMap((plan) => plan.jobs.flatMap((job) => job.variables.filter((v) => v.source === 'predefined').map((v) => v.key))));
}

/** Every `NAME` in backticks in the part of the doc that lists what is set. */
function documentedKeys(): Set<string> {
  const listed = DOC.slice(0, DOC.indexOf('## Not set'));
  return new Set([...listed.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

describe('docs/variables.md', () => {
  it('lists exactly the variables jobsim sets', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 'image: busybox:1.36\nt:\n  script: x\n  parallel: 2\n' });
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', 'commit', '-q', '--allow-empty', '-m', 'init');
    git('remote', 'add', 'origin', 'git@gitlab.com:acme/shop.git');
    const plans = [await load(dir), await load(dir, { pipeline: { tag: 'v1' } }), await load(dir, { pipeline: { mrTarget: 'main' } })];
    const emitted = [...predefinedKeys(plans), ...ENGINE_KEYS].sort();
    expect(emitted.length).toBeGreaterThan(60);
    expect([...documentedKeys()].sort()).toEqual(emitted);
  });
});
