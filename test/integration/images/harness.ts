// Builds RunContexts and image requests by hand for the image resolver, and puts test images into the rig's
// registries under unique repository names (images-test/<case>-<random>), so tests never race each other
// over what is present locally. Every local name a test creates is removed again by `cleanup()`.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerHandle } from '../../../main/docker/client.js';
import type { ImageRequest, RunContext } from '../../../main/engine/contracts.js';
import { parseImageRef, type ImageRef } from '../../../shared/image-ref.js';
import type { LogEvent, PullEvent, RunEvent } from '../../../shared/events.js';
import type { JobPlan, PipelinePlan, PullPolicy, PullPlan, RunnerPlan, Variable } from '../../../shared/plan.js';
import { AUTH_REGISTRY_CREDENTIALS, TEST_IMAGES } from '../../rig/constants.js';
import { dockerEnv } from '../../rig/docker-cli.js';
import { run as exec, runOk } from '../../rig/exec.js';

export const JOB = 'images-test';

/** References are parsed by the shared parser, exactly as the job file parser does. */
export const refFor = (written: string): ImageRef => parseImageRef(written);

export function pullPlan(policies: PullPolicy[], extra: Partial<PullPlan> = {}): PullPlan {
  return { policies, source: 'job-file', allowed: ['always', 'if-not-present', 'never'], allowedSource: 'runner-config', ...extra };
}

export function request(written: string, pull: PullPlan, container = 'build'): ImageRequest {
  return { job: JOB, container, image: { ref: refFor(written), pull } };
}

export interface TestRun {
  run: RunContext;
  events: RunEvent[];
  pulls(): PullEvent[];
  logs(): string[];
  abort(): void;
}

export interface RunOptions {
  runner?: Partial<RunnerPlan>;
  variables?: Variable[];
  options?: Partial<RunContext['options']>;
}

export class ImageHarness {
  private readonly created: string[] = [];
  private readonly dirs: string[] = [];
  readonly id = randomBytes(4).toString('hex');
  private constructor(readonly docker: DockerHandle) {}

  static async create(): Promise<ImageHarness> {
    const { docker } = await connectDocker();
    return new ImageHarness(docker);
  }

  tmpDir(prefix = 'jobsim-images-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  newRun(options: RunOptions = {}): TestRun {
    const events: RunEvent[] = [];
    const controller = new AbortController();
    const runner: RunnerPlan = {
      buildsDir: '/builds',
      disableCache: false,
      waitForServicesTimeoutSec: 30,
      allowedImages: [],
      allowedServices: [],
      pullPolicy: ['always'],
      allowedPullPolicies: ['always'],
      ...options.runner,
    };
    const job = { name: JOB, variables: options.variables ?? [] } as unknown as JobPlan;
    const plan: PipelinePlan = { projectDir: '/tmp', projectPath: 'group/images', file: '.gitlab-ci.yml', format: 'gitlab-ci', stages: ['test'], jobs: [job], runner, warnings: [] };
    const runId = `images-${randomBytes(3).toString('hex')}`;
    const run: RunContext = {
      runId,
      plan,
      docker: this.docker,
      emit: (event) => events.push({ ...event, runId, time: Date.now() } as RunEvent),
      signal: controller.signal,
      secrets: [],
      runDir: this.tmpDir('jobsim-images-run-'),
      // An empty config dir, so the tester's own ~/.docker never changes what a test sees.
      options: { keepOnFailure: false, dockerConfigDir: this.tmpDir('jobsim-images-cfg-'), ...options.options },
    };
    return {
      run,
      events,
      pulls: () => events.filter((event): event is PullEvent => event.type === 'pull'),
      logs: () => events.filter((event): event is LogEvent => event.type === 'log').map((event) => event.text),
      abort: () => controller.abort(new Error('canceled by test')),
    };
  }

  /** A unique repository name for a case, e.g. `127.0.0.1:5000/images-test/never-1a2b3c4d`. */
  name(registry: string, testCase: string, tag = '1'): string {
    return `${registry}/images-test/${testCase}-${this.id}:${tag}`;
  }

  /** Tags the shell image as `target` locally (removed again by cleanup). */
  async tagLocal(target: string, source: string = TEST_IMAGES.shell): Promise<void> {
    await runOk('docker', ['tag', source, target]);
    this.created.push(target);
  }

  /** Pushes the shell image to `target`, then drops every local name the push left. Returns the digest. */
  async push(target: string, login = false, source: string = TEST_IMAGES.shell): Promise<string> {
    const configDir = this.tmpDir('jobsim-images-push-');
    const env = { ...(await dockerEnv()), DOCKER_CONFIG: configDir };
    await runOk('docker', ['tag', source, target]);
    try {
      if (login) {
        const registry = target.split('/')[0] ?? '';
        await runOk('docker', ['login', registry, '--username', AUTH_REGISTRY_CREDENTIALS.username, '--password-stdin'], { env, input: AUTH_REGISTRY_CREDENTIALS.password });
      }
      const output = await runOk('docker', ['push', target], { env, timeoutMs: 120_000 });
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
      if (!digest) throw new Error(`no digest in push output: ${output}`);
      return digest;
    } finally {
      await this.removeLocal(target);
    }
  }

  /**
   * Builds an image with a layer no other image has (so a pull must download it), pushes it to `target`
   * and removes it locally, layers included. Returns the digest.
   */
  async pushUnique(target: string): Promise<string> {
    const context = this.tmpDir('jobsim-images-build-');
    writeFileSync(join(context, 'unique.txt'), randomBytes(64 * 1024).toString('hex'));
    writeFileSync(join(context, 'Dockerfile'), `FROM ${TEST_IMAGES.shell}\nLABEL dev.jobsim.test=images\nCOPY unique.txt /unique.txt\n`);
    const env = { ...(await dockerEnv()), DOCKER_BUILDKIT: '0' };
    const imageId = (await runOk('docker', ['build', '-q', '--force-rm', context], { env, timeoutMs: 120_000 })).trim();
    try {
      return await this.push(target, false, imageId);
    } finally {
      await exec('docker', ['rmi', imageId]);
    }
  }

  /** Removes a local name and the repo digests the engine keeps for its repository. */
  async removeLocal(name: string): Promise<void> {
    const repository = name.replace(/[:@][^/]*$/, '');
    const digests = await exec('docker', ['image', 'inspect', '--format', '{{json .RepoDigests}}', name]);
    await exec('docker', ['rmi', '--no-prune', name]);
    if (digests.code !== 0) return;
    const references = (JSON.parse(digests.stdout) as string[] | null) ?? [];
    for (const reference of references.filter((entry) => entry.startsWith(`${repository}@`))) await exec('docker', ['rmi', '--no-prune', reference]);
  }

  /** Remembers a name a pull created, for cleanup. */
  track(name: string): void {
    this.created.push(name);
  }

  async cleanup(): Promise<void> {
    for (const name of this.created.reverse()) await this.removeLocal(name);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
