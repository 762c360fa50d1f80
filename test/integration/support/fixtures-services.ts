// Hand-built JobPlan / RunContext / JobWorkspace for the services and artifacts tests, plus a labelled
// network and builds volume created with plain dockerode. cleanup() removes only what carries this
// fixture's test label.

import { parseImageRef } from '../../../shared/image-ref.js';
import { deriveServiceAliases } from '../../../shared/service-aliases.js';
import { defaultRunnerConfig } from '../../../main/parse/runner-config.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerHandle } from '../../../main/docker/client.js';
import type { JobWorkspace, ResolvedImage, RunContext } from '../../../main/engine/contracts.js';
import type { RunEvent } from '../../../shared/events.js';
import type { ImagePlan, JobPlan, PipelinePlan, ServicePlan, Variable } from '../../../shared/plan.js';

export const TEST_LABEL = 'dev.jobsim.test';
export const SHELL_IMAGE = 'jobsim-test/shell:1';
export const HTTP_IMAGE = 'jobsim-test/http:1';
export const BUILDS_DIR = '/builds';
export const PROJECT_DIR = '/builds/group/app';

export function imagePlan(written: string): ImagePlan {
  return {
    ref: parseImageRef(written),
    pull: { policies: ['never'], source: 'job-file', allowed: ['never'], allowedSource: 'default' },
  };
}

export function variable(key: string, value: string, masked = false): Variable {
  return { key, value, masked, source: masked ? 'secret' : 'job' };
}

/** A service as the parser would plan it: derived aliases from the image, then the custom ones. */
export function servicePlan(written: string, extra: Partial<ServicePlan> = {}): ServicePlan {
  const derivedAliases = deriveServiceAliases(written);
  const customAliases = extra.customAliases ?? [];
  return {
    name: written,
    image: imagePlan(written),
    derivedAliases,
    customAliases,
    aliases: [...new Set([...derivedAliases, ...customAliases])],
    variables: [],
    ...extra,
  };
}

export function jobPlan(name: string, extra: Partial<JobPlan> = {}): JobPlan {
  return {
    name,
    stage: 'test',
    stageIndex: 1,
    image: imagePlan(SHELL_IMAGE),
    services: [],
    beforeScript: [],
    script: [],
    afterScript: [],
    variables: [],
    caches: [],
    needs: null,
    dependencies: null,
    when: 'on_success',
    allowFailure: false,
    timeoutMs: 600_000,
    projectDirInContainer: PROJECT_DIR,
    docker: defaultRunnerConfig().docker,
    where: { file: '.gitlab-ci.yml', line: 1, col: 1 },
    ...extra,
  };
}

export async function resolveLocal(docker: DockerHandle, image: string): Promise<ResolvedImage> {
  const info = await docker.getImage(image).inspect();
  const exposed = Object.keys(info.Config.ExposedPorts ?? {})
    .filter((port) => port.endsWith('/tcp'))
    .map((port) => Number(port.split('/')[0]))
    .sort((a, b) => a - b);
  const entrypoint = info.Config.Entrypoint;
  return { imageId: info.Id, entrypoint: typeof entrypoint === 'string' ? [entrypoint] : (entrypoint ?? null), cmd: info.Config.Cmd ?? null, exposedTcpPorts: exposed };
}

/** One job's world: a labelled network, a builds volume, a run context that records events. */
export class ServiceFixture {
  readonly events: RunEvent[] = [];
  readonly label = `svc-${randomBytes(4).toString('hex')}`;
  readonly runDir = mkdtempSync(join(tmpdir(), 'jobsim-svc-'));
  /** The host project folder runJob copies sources from (kept apart from runDir, where artifacts go). */
  readonly hostProjectDir = mkdtempSync(join(tmpdir(), 'jobsim-svc-project-'));
  readonly controller = new AbortController();
  network = '';
  buildsVolume = '';

  private constructor(readonly docker: DockerHandle) {}

  static async create(): Promise<ServiceFixture> {
    const { docker } = await connectDocker();
    return new ServiceFixture(docker);
  }

  get labels(): Record<string, string> {
    return { [TEST_LABEL]: this.label, 'dev.jobsim.managed': 'true' };
  }

  async setUp(): Promise<void> {
    this.network = `jobsim-test-${this.label}`;
    await this.docker.createNetwork({ Name: this.network, Driver: 'bridge', Labels: this.labels });
    this.buildsVolume = await this.newVolume();
  }

  async newVolume(): Promise<string> {
    const name = `jobsim-test-${this.label}-${randomBytes(3).toString('hex')}`;
    await this.docker.createVolume({ Name: name, Labels: this.labels });
    return name;
  }

  run(options: { waitTimeoutSec?: number; secrets?: string[]; signal?: AbortSignal } = {}): RunContext {
    const plan: PipelinePlan = {
      projectDir: this.hostProjectDir,
      projectPath: 'group/app',
      file: '.gitlab-ci.yml',
      format: 'gitlab-ci',
      stages: ['build', 'test'],
      jobs: [],
      runner: {
        buildsDir: BUILDS_DIR,
        disableCache: false,
        waitForServicesTimeoutSec: options.waitTimeoutSec ?? 30,
        allowedImages: [],
        allowedServices: [],
        pullPolicy: ['never'],
        allowedPullPolicies: ['never'],
      },
      warnings: [],
    };
    return {
      runId: `run-${this.label}`,
      plan,
      docker: this.docker,
      emit: (event) => this.events.push({ ...event, runId: `run-${this.label}`, time: Date.now() } as RunEvent),
      signal: options.signal ?? this.controller.signal,
      secrets: options.secrets ?? [],
      runDir: this.runDir,
      options: { keepOnFailure: false },
    };
  }

  async workspace(buildsVolume = this.buildsVolume): Promise<JobWorkspace> {
    return {
      network: this.network,
      buildsVolume,
      buildsMount: { type: 'volume', source: buildsVolume, target: BUILDS_DIR, readOnly: false },
      projectDir: PROJECT_DIR,
      image: await resolveLocal(this.docker, SHELL_IMAGE),
      labels: this.labels,
    };
  }

  logs(): string[] {
    return this.events.flatMap((event) => (event.type === 'log' ? [event.text] : []));
  }

  /** Runs `sh -c script` in the shell image on the network with the builds volume; returns exit code and output. */
  async shell(script: string, buildsVolume = this.buildsVolume): Promise<{ exitCode: number; output: string }> {
    const container = await this.docker.createContainer({
      Image: SHELL_IMAGE,
      Entrypoint: ['sh', '-c', script],
      Labels: this.labels,
      HostConfig: { NetworkMode: this.network, Mounts: [{ Type: 'volume', Source: buildsVolume, Target: BUILDS_DIR }] },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const raw = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      return { exitCode: StatusCode, output: demux(raw) };
    } finally {
      await container.remove({ force: true });
    }
  }

  /** A created (never started) container mounting a builds volume, as runJob hands to the artifact stages. */
  async createdContainer(buildsVolume = this.buildsVolume): Promise<string> {
    const container = await this.docker.createContainer({
      Image: SHELL_IMAGE,
      Cmd: ['true'],
      Labels: this.labels,
      HostConfig: { Mounts: [{ Type: 'volume', Source: buildsVolume, Target: BUILDS_DIR }] },
    });
    return container.id;
  }

  async cleanUp(): Promise<void> {
    const filters = JSON.stringify({ label: [`${TEST_LABEL}=${this.label}`] });
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
    const networks = await this.docker.listNetworks({ filters });
    await Promise.all(networks.map((n) => this.docker.getNetwork(n.Id).remove().catch(() => undefined)));
    const { Volumes } = await this.docker.listVolumes({ filters });
    await Promise.all((Volumes ?? []).map((v) => this.docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined)));
    rmSync(this.runDir, { recursive: true, force: true });
    rmSync(this.hostProjectDir, { recursive: true, force: true });
  }
}

function demux(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
