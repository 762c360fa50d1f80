// A whole pipeline on Podman's Docker-compatible API (a rootful `podman system service` with its own
// storage, see podman-service.ts): a service reached by its alias, a cache, artifacts between jobs, a
// multi-line script (Podman once received docker-modem's attach options in the job's stdin), and nothing
// jobsim made left on Podman afterwards. The shared Docker engine must still run a container at the end.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HTTP_OK_BODY, HTTP_PORT, TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, finishedJobs, jobLog, runEvents, runIdOf, sandbox } from '../cli/cli-harness.js';
import { missingPodman, startPodman, type PodmanService } from './podman-service.js';

const image = `{ name: ${TEST_IMAGES.shell}, pull_policy: if-not-present }`;
const PIPELINE = [
  'stages: [build, test]',
  `default: { image: ${image} }`,
  'build:',
  '  stage: build',
  `  services: [{ name: ${TEST_IMAGES.http}, alias: web, pull_policy: if-not-present }]`,
  '  cache: { key: podman-engine, paths: [cached/] }',
  '  script:',
  '    - mkdir -p out cached',
  '    - |',
  '      if [ -f cached/count ]; then',
  '        echo "cache had $(cat cached/count)"',
  '      fi',
  '    - echo "$CI_PIPELINE_ID" > cached/count',
  `    - wget -q -O out/page.txt http://web:${HTTP_PORT}/`,
  '  after_script: [cat out/page.txt]',
  '  artifacts: { paths: [out/] }',
  'use:',
  '  stage: test',
  '  script: [cat out/page.txt, exit 0]',
  '',
].join('\n');

const box = sandbox();
let podman: PodmanService | undefined;

beforeAll(async () => {
  await buildCli();
  if (missingPodman().length === 0) podman = await startPodman([TEST_IMAGES.shell, TEST_IMAGES.http]);
}, 120_000);

afterAll(async () => {
  await podman?.stop();
  // The shared engine is whole: a second engine on this machine once took docker0 away.
  expect(execFileSync('docker', ['run', '--rm', TEST_IMAGES.shell, 'echo', 'shared-engine-ok']).toString()).toContain('shared-engine-ok');
}, 60_000);

it('runs a pipeline with a service, a cache and artifacts on Podman, and leaves only the cache', async (ctx) => {
  if (!podman) return ctx.skip(`not installed: ${missingPodman().join(', ')} (apt-get install them; test/rig/up.ts does it as root)`);
  const engine = ['--engine', `unix://${podman.socket}`];
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });

  const first = await box.jobsim([...engine, 'run', '-C', dir, '--json']);
  const all = runEvents(first.stdout);
  expect(first.code, `${first.stderr}\n${jobLog(all, 'build')}\n${jobLog(all, 'use')}`).toBe(0);
  expect(finishedJobs(all)).toEqual({ build: 'success', use: 'success' });
  expect(jobLog(all, 'use')).toContain(HTTP_OK_BODY);
  // after_script restarts the build container and attaches to it again: Podman must give it its stdin too.
  expect(jobLog(all, 'build').split('\n').filter((line) => line.includes(HTTP_OK_BODY)).length).toBeGreaterThan(0);
  const runId = runIdOf(first.stdout);

  const second = await box.jobsim([...engine, 'run', '-C', dir, '--json', 'build']);
  expect(second.code, second.stderr).toBe(0);
  expect(jobLog(runEvents(second.stdout), 'build')).toMatch(/cache had \d+/);

  // What jobsim made for the runs is gone from Podman; only the cache volume is meant to stay.
  const managed = (command: string[], format: string): string[] =>
    podman!.podman([...command, '--filter', 'label=dev.jobsim.managed', '--format', format]).stdout.split('\n').filter(Boolean);
  expect(managed(['ps', '-a'], '{{.Names}}')).toEqual([]);
  expect(managed(['network', 'ls'], '{{.Name}}')).toEqual([]);
  const volumes = managed(['volume', 'ls'], '{{.Name}} {{.Labels}}');
  expect(volumes.length).toBeGreaterThan(0);
  expect(volumes.every((v) => v.startsWith('jobsim-cache-') && v.includes('dev.jobsim.persist'))).toBe(true);
  expect(runId).toBeTruthy();
}, 240_000);
