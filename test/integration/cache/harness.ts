// Runs "jobs" through the cache module against the real daemon without the engine: a per-job builds
// volume, prepareCaches, a build container from jobsim-test/shell:1 with the cache mounts and restore
// lines, then save(outcome) and cleanup(). Everything carries a per-harness test label.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerHandle } from '../../../main/docker/client.js';
import { logStreams } from '../../../main/docker/log-frames.js';
import { listCacheVolumes } from '../../../main/docker/cache-volumes.js';
import type { JobOutcome, JobWorkspace, RunContext } from '../../../main/engine/contracts.js';
import { prepareCaches } from '../../../main/engine/cache/prepare.js';
import { preparedJob } from '../../../main/engine/job-run/job-context.js';
import type { CacheEvent, RunEvent } from '../../../shared/events.js';
import type { CachePlan, PipelinePlan, RunnerPlan, Variable } from '../../../shared/plan.js';
import { jobPlan } from '../support/fixtures-services.js';

export const TEST_LABEL = 'dev.jobsim.test';
export const IMAGE = 'jobsim-test/shell:1';
export const PROJECT_DIR = '/builds/group/app';

export function cachePlan(extra: Partial<CachePlan> = {}): CachePlan {
  return { key: { kind: 'literal', value: 'default' }, paths: ['vendor'], untracked: false, policy: 'pull-push', when: 'on_success', fallbackKeys: [], ...extra };
}

export interface JobRun {
  exitCode: number;
  output: string;
  events: RunEvent[];
  cacheEvents: CacheEvent[];
  logs: string[];
}

export interface JobOptions {
  caches: CachePlan[];
  script: string;
  /** Overrides the outcome passed to save() (default: from the exit code). */
  outcome?: JobOutcome;
  runner?: Partial<RunnerPlan>;
  /** Runs as this user (e.g. `1000:1000`). */
  user?: string;
  variables?: Variable[];
  /** Values of masked variables. */
  secrets?: string[];
  /** Run in the builds volume before prepareCaches (as the engine puts the sources). */
  beforePrepare?: string;
  /** Run in the builds volume after prepareCaches and before the build (as the engine puts artifacts). */
  afterPrepare?: string;
}

export class CacheHarness {
  readonly project: string;
  readonly hostProjectDir: string;
  readonly label: string;
  private constructor(readonly docker: DockerHandle) {
    this.label = `cache-${randomBytes(4).toString('hex')}`;
    this.project = `jobsim-test/${this.label}`;
    this.hostProjectDir = mkdtempSync(join(tmpdir(), 'jobsim-cache-'));
  }

  static async create(): Promise<CacheHarness> {
    const { docker } = await connectDocker();
    return new CacheHarness(docker);
  }

  async runJob(name: string, options: JobOptions): Promise<JobRun> {
    const docker = this.docker;
    const runId = `run-${randomBytes(3).toString('hex')}`;
    const events: RunEvent[] = [];
    const labels = { [TEST_LABEL]: this.label, 'dev.jobsim.run': runId };
    const runner: RunnerPlan = {
      buildsDir: '/builds',
      disableCache: false,
      waitForServicesTimeoutSec: 30,
      allowedImages: [],
      allowedServices: [],
      pullPolicy: ['never'],
      allowedPullPolicies: ['never'],
      ...options.runner,
    };
    const plan: PipelinePlan = {
      projectDir: this.hostProjectDir,
      projectPath: this.project,
      file: '.gitlab-ci.yml',
      format: 'gitlab-ci',
      stages: ['test'],
      jobs: [],
      runner,
      warnings: [],
    };
    const run: RunContext = {
      runId,
      plan,
      docker,
      emit: (event) => events.push({ ...event, runId, time: Date.now() } as RunEvent),
      signal: new AbortController().signal,
      secrets: options.secrets ?? [],
      runDir: this.hostProjectDir,
      options: { keepOnFailure: false },
    };
    const image = await docker.getImage(IMAGE).inspect();
    const buildsVolume = `jobsim-test-builds-${randomBytes(4).toString('hex')}`;
    await docker.createVolume({ Name: buildsVolume, Labels: labels });
    const workspace: JobWorkspace = {
      network: 'none',
      buildsVolume,
      buildsMount: { type: 'volume', source: buildsVolume, target: '/builds', readOnly: false },
      projectDir: PROJECT_DIR,
      image: { imageId: image.Id, entrypoint: null, cmd: null, exposedTcpPorts: [] },
      labels,
    };
    if (options.beforePrepare !== undefined) await this.runPlain(options.beforePrepare, buildsVolume, labels, image.Id);
    const ctx = preparedJob(jobPlan(name, { stageIndex: 0, caches: options.caches, variables: options.variables ?? [], projectDirInContainer: PROJECT_DIR }), run, workspace);
    const prepared = await prepareCaches(ctx);
    if (options.afterPrepare !== undefined) await this.runPlain(options.afterPrepare, buildsVolume, labels, image.Id);
    const script = [`mkdir -p ${PROJECT_DIR} && cd ${PROJECT_DIR}`, ...prepared.restoreScript, options.script].join('\n');
    const container = await docker.createContainer({
      Image: image.Id,
      Entrypoint: ['sh', '-c'],
      Cmd: [script],
      Labels: labels,
      ...(options.user ? { User: options.user } : {}),
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [
          { Type: 'volume', Source: buildsVolume, Target: '/builds' },
          ...prepared.mounts.map((mount) => ({ Type: mount.type, Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly })),
        ],
      },
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const { stdout, stderr } = logStreams((await container.logs({ stdout: true, stderr: true })) as unknown as Buffer);
    await container.remove({ force: true });
    const outcome: JobOutcome = options.outcome ?? (StatusCode === 0 ? { state: 'success' } : { state: 'failed', exitCode: StatusCode });
    await prepared.save(outcome);
    await ctx.objects.removeAll();
    await docker.getVolume(buildsVolume).remove();
    const cacheEvents = events.filter((event): event is CacheEvent => event.type === 'cache');
    const logs = events.flatMap((event) => (event.type === 'log' ? [event.text] : []));
    return { exitCode: StatusCode, output: stdout + stderr, events, cacheEvents, logs };
  }

  private async runPlain(script: string, buildsVolume: string, labels: Record<string, string>, imageId: string): Promise<void> {
    const container = await this.docker.createContainer({
      Image: imageId,
      Entrypoint: ['sh', '-c'],
      Cmd: [`mkdir -p ${PROJECT_DIR} && cd ${PROJECT_DIR} && ${script}`],
      Labels: labels,
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: buildsVolume, Target: '/builds' }] },
    });
    await container.start();
    await container.wait();
    await container.remove({ force: true });
  }

  /** Removes this harness's cache volumes and anything else it labelled. */
  async dispose(): Promise<void> {
    for (const volume of await listCacheVolumes(this.docker, { project: this.project })) await this.docker.getVolume(volume.name).remove().catch(() => undefined);
    const containers = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${TEST_LABEL}=${this.label}`] }) });
    for (const container of containers) await this.docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    const { Volumes } = await this.docker.listVolumes({ filters: JSON.stringify({ label: [`${TEST_LABEL}=${this.label}`] }) });
    for (const volume of Volumes ?? []) await this.docker.getVolume(volume.Name).remove().catch(() => undefined);
    rmSync(this.hostProjectDir, { recursive: true, force: true });
  }
}
