// `jobsim list` states, --all, --json; a named blocked job refused (exit 2) or run in --default-image.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../../main/cli/errors.js';
import { listCommand } from '../../../main/cli/list.js';
import { runnableNamedJobs } from '../../../main/parse/blocked-selection.js';
import { decide } from '../../../main/engine/scheduling/decide.js';
import { FIXTURES, job, loadYaml, writeProject } from './helpers.js';

const YAML =
  'stages: [build, test]\n' +
  'unit:\n  stage: test\n  image: busybox:1.36\n  script: [x]\n' +
  'win:\n  stage: build\n  tags: [windows]\n  script: [x]\n' +
  'gone:\n  stage: build\n  image: busybox:1.36\n  rules: [{when: never}]\n  script: [x]\n';

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.stubEnv('HOME', FIXTURES);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function list(args: string[]): Promise<number> {
  try {
    return await listCommand.run(args);
  } catch (error) {
    return reportError(error, false);
  }
}

describe('jobsim list states', () => {
  it('shows each job in stage order with its state; hides excluded jobs and says how to see them', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': YAML });
    expect(await list(['-C', dir])).toBe(0);
    const lines = out.split('\n');
    expect(lines[3]).toMatch(/^build\s+win\s+-\s+-\s+\(stages\)\s+needs-runner: needs a Windows runner \(tags: windows\)$/);
    expect(lines[4]).toMatch(/^test\s+unit\s+busybox:1\.36\s+-\s+\(stages\)\s+runnable$/);
    expect(out).not.toMatch(/\bgone\b/);
    expect(out).toContain('1 job excluded from this pipeline hidden: `jobsim list --all` shows them and why');
  });

  it('--all --json gives state and reason for every job', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': YAML });
    expect(await list(['-C', dir, '--all', '--json'])).toBe(0);
    const summary = JSON.parse(out) as { jobs: { name: string; state: string; reason?: string }[]; hiddenExcluded: number };
    expect(summary.hiddenExcluded).toBe(0);
    expect(summary.jobs.map((j) => [j.name, j.state])).toEqual([['win', 'needs-runner'], ['gone', 'excluded'], ['unit', 'runnable']]);
    expect(summary.jobs[1]!.reason).toBe('when: never');
  });

  it('rejects a bad --default-image with exit 2', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': YAML });
    expect(await list(['-C', dir, '--default-image', 'Not Valid'])).toBe(2);
  });
});

describe('running a blocked job', () => {
  it('a named blocked job is refused with its reason; with --default-image it runs in that image', async () => {
    const plan = await loadYaml(YAML);
    const win = job(plan, 'win');
    expect(() => runnableNamedJobs(plan, [win], undefined)).toThrow('job "win" cannot run here: needs a Windows runner (tags: windows) (`--default-image REF` runs it in a Linux image anyway)');
    const forced = runnableNamedJobs(plan, [win], 'busybox:1.36');
    expect(forced.jobs[0]!.blocked).toBeUndefined();
    expect(forced.jobs[0]!.image.ref.written).toBe('busybox:1.36');
    expect(forced.warnings[0]!.message).toContain('running it in busybox:1.36');
  });

  it('a whole-pipeline run skips a blocked job with reason kind blocked', async () => {
    const plan = await loadYaml(YAML);
    expect(decide(job(plan, 'win'), { names: [], viaNeeds: false }, new Map(), false)).toEqual({
      kind: 'skip',
      reason: { kind: 'blocked', block: 'needs-runner', message: 'needs a Windows runner (tags: windows)' },
    });
  });
});
