// --server-url, --project-path, --default-branch and --registry on `jobsim list` and `jobsim plan`.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../../main/cli/errors.js';
import { listCommand } from '../../../main/cli/list.js';
import { planCommand } from '../../../main/cli/plan.js';
import { FIXTURES, writeProject } from '../parse/helpers.js';

let out = '';
let err = '';

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.stubEnv('HOME', FIXTURES);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function run(command: typeof listCommand, args: string[]): Promise<number> {
  try {
    return await command.run(args);
  } catch (error) {
    return reportError(error, false);
  }
}

const CI = 'build:\n  image: $CI_REGISTRY_IMAGE/builder:1\n  script: [echo $CI_PROJECT_URL]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n';

describe('server options', () => {
  it('plan shows the variables they set, and the image built from CI_REGISTRY_IMAGE', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': CI });
    const code = await run(planCommand, ['build', '-C', dir, '--json', '--server-url', 'https://git.example.org:8443', '--project-path', 'Acme/Shop', '--registry', 'registry.example.org', '--default-branch', 'main']);
    expect([code, err]).toEqual([0, '']);
    const { job } = JSON.parse(out) as { job: { image: { ref: { written: string } }; variables: { key: string; value: string }[] } };
    const value = (key: string): string | undefined => job.variables.find((v) => v.key === key)?.value;
    expect(job.image.ref.written).toBe('registry.example.org/acme/shop/builder:1');
    expect([value('CI_SERVER_URL'), value('CI_PROJECT_URL'), value('CI_API_V4_URL'), value('CI_DEFAULT_BRANCH')]).toEqual([
      'https://git.example.org:8443', 'https://git.example.org:8443/Acme/Shop', 'https://git.example.org:8443/api/v4', 'main',
    ]);
  });

  it('--default-branch decides rules that compare with it', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': CI });
    expect(await run(listCommand, ['-C', dir, '--json', '--ref', 'develop', '--default-branch', 'develop'])).toBe(0);
    expect((JSON.parse(out) as { jobs: { when: string }[] }).jobs[0]?.when).toBe('on_success');
    out = '';
    expect(await run(listCommand, ['-C', dir, '--json', '--all', '--ref', 'develop'])).toBe(0);
    expect((JSON.parse(out) as { jobs: { state: string }[] }).jobs[0]?.state).toBe('excluded');
  });

  it('a bad value exits 2 with the flag named and no stack trace', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': CI });
    expect(await run(listCommand, ['-C', dir, '--project-path', 'shop'])).toBe(2);
    expect(err).toBe('jobsim: --project-path "shop" is not a GitLab project path: give group/name (letters, digits, _ . -), e.g. acme/shop\n');
    err = '';
    expect(await run(listCommand, ['-C', dir, '--server-url', 'https://me:hunter2@git.example.org'])).toBe(2);
    expect(err).toBe('jobsim: --server-url must not hold a user name or password (jobsim never stores credentials in variables)\n');
    expect(out).toBe('');
  });
});
