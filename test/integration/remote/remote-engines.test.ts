// A whole pipeline on an engine reached over SSH and over TLS (loopback fronts for the local engine, see
// loopback-fronts.ts): a service, a cache, artifacts between jobs, and a failed job kept and entered with
// `jobsim shell`. Nothing may assume the engine shares jobsim's file system; everything travels through
// the API. Also: an unknown SSH host key is refused with the command that fixes it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_OK_BODY, HTTP_PORT, TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, finishedJobs, jobLog, leftovers, runEvents, runIdOf, sandbox } from '../cli/cli-harness.js';
import { sshdInstalled, startSshd, startTlsFront, type LoopbackSshd, type LoopbackTls } from './loopback-fronts.js';

const image = `{ name: ${TEST_IMAGES.shell}, pull_policy: if-not-present }`;
const PIPELINE = [
  'stages: [build, test]',
  `default: { image: ${image} }`,
  'build:',
  '  stage: build',
  `  services: [{ name: ${TEST_IMAGES.http}, alias: web, pull_policy: if-not-present }]`,
  '  cache: { key: remote-engine, paths: [cached/] }',
  '  script:',
  '    - mkdir -p out cached',
  '    - if [ -f cached/count ]; then echo "cache had $(cat cached/count)"; fi',
  '    - echo "$CI_PIPELINE_ID" > cached/count',
  `    - wget -q -O out/page.txt http://web:${HTTP_PORT}/`,
  '  artifacts: { paths: [out/] }',
  'use:',
  '  stage: test',
  '  script: [cat out/page.txt]',
  'failing:',
  '  stage: test',
  '  needs: []',
  '  script: [echo kept-here > made.txt, exit 3]',
  '',
].join('\n');

const box = sandbox();
let sshd: LoopbackSshd | undefined;
let tls: LoopbackTls | undefined;

beforeAll(async () => {
  await buildCli();
  if (sshdInstalled()) sshd = await startSshd();
  tls = await startTlsFront();
}, 60_000);

afterAll(async () => {
  await box.removeCaches();
  await sshd?.stop();
  await tls?.stop();
});

async function wholePipeline(env: NodeJS.ProcessEnv): Promise<void> {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });
  const first = await box.jobsim(['run', '-C', dir, '--json', '--keep-on-failure'], env);
  expect(first.code, first.stderr).toBe(1);
  const all = runEvents(first.stdout);
  const runId = runIdOf(first.stdout);
  expect(finishedJobs(all)).toEqual({ build: 'success', use: 'success', failing: 'failed' });
  expect(jobLog(all, 'use')).toContain(HTTP_OK_BODY);

  const shell = await box.jobsim(['shell', `${runId}/failing`, '--', 'sh', '-c', 'cat made.txt; exit 4'], env);
  expect(shell.stdout).toContain('kept-here');
  expect(shell.code).toBe(4);
  const done = await box.jobsim(['kept', 'done', `${runId}/failing`], env);
  expect(done.code, done.stderr).toBe(0);
  expect(await leftovers(runId)).toEqual([]);

  const second = await box.jobsim(['run', '-C', dir, '--json', 'build'], env);
  expect(second.code, second.stderr).toBe(0);
  expect(jobLog(runEvents(second.stdout), 'build')).toMatch(/cache had \d+/);
}

describe('an engine over SSH', () => {
  it('runs a pipeline with a service, a cache, artifacts and a kept job', async (ctx) => {
    if (!sshd) return ctx.skip('openssh-server is not installed (apt-get install openssh-server)');
    await wholePipeline({ HOME: sshd.home, DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}`, SSH_AUTH_SOCK: '' });
  }, 240_000);

  it('refuses a host whose key is not in known_hosts (named with --engine), saying how to accept it', async (ctx) => {
    if (!sshd) return ctx.skip('openssh-server is not installed (apt-get install openssh-server)');
    const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });
    // Named with --engine this time: it wins over a DOCKER_HOST pointing elsewhere.
    const result = await box.jobsim(['--engine', `ssh://root@127.0.0.1:${sshd.port}`, 'run', '-C', dir, 'use'], {
      HOME: sshd.homeWithoutHostKey,
      DOCKER_HOST: 'unix:///nowhere.sock',
      SSH_AUTH_SOCK: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the SSH host key of [127.0.0.1]:${sshd.port} is not in ~/.ssh/known_hosts`);
    expect(result.stderr).toContain(`ssh -p ${sshd.port} root@127.0.0.1`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('an engine over TLS with client certificates', () => {
  it('runs a pipeline with a service, a cache, artifacts and a kept job', async () => {
    if (!tls) throw new Error('the TLS front did not start');
    await wholePipeline({ DOCKER_HOST: `tcp://127.0.0.1:${tls.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.certPath });
  }, 240_000);
});
