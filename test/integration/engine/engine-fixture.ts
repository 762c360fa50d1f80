// A hand-built run for the job runner tests: a small project folder on the host, a RunContext that
// records every event, and helpers to find what a run left on the daemon (by its run-id label).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerHandle } from '../../../main/docker/client.js';
import { listManagedObjects, removeManagedObject, type ManagedObject } from '../../../main/docker/managed-objects.js';
import { LABELS } from '../../../main/docker/resource-labels.js';
import type { JobOutcome, RunContext } from '../../../main/engine/contracts.js';
import { runJob } from '../../../main/engine/run-one-job.js';
import type { JobEvent, LogEvent, RunEvent, StageEvent } from '../../../shared/events.js';
import type { JobPlan, PipelinePlan } from '../../../shared/plan.js';
import { BUILDS_DIR, jobPlan } from '../support/fixtures-services.js';

export { imagePlan, jobPlan } from '../support/fixtures-services.js';

/** Strips ANSI colours and GitLab section markers so assertions read like the log a user sees. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/section_(start|end):\d+:[a-z_]+\r/g, '');
}

export class EngineRun {
  readonly events: RunEvent[] = [];
  readonly controller = new AbortController();
  readonly runId = `enginetest-${randomBytes(4).toString('hex')}`;
  readonly projectDir = mkdtempSync(join(tmpdir(), 'jobsim-engine-project-'));
  readonly runDir = mkdtempSync(join(tmpdir(), 'jobsim-engine-run-'));

  private constructor(readonly docker: DockerHandle) {
    writeFileSync(join(this.projectDir, 'README.md'), 'hello from the project\n');
  }

  static async create(docker?: DockerHandle): Promise<EngineRun> {
    return new EngineRun(docker ?? (await connectDocker()).docker);
  }

  context(jobs: JobPlan[]): RunContext {
    const plan: PipelinePlan = {
      projectDir: this.projectDir,
      projectPath: 'group/app',
      file: join(this.projectDir, '.gitlab-ci.yml'),
      format: 'gitlab-ci',
      stages: ['test'],
      jobs,
      runner: {
        buildsDir: BUILDS_DIR,
        disableCache: false,
        waitForServicesTimeoutSec: 30,
        allowedImages: [],
        allowedServices: [],
        pullPolicy: ['never'],
        allowedPullPolicies: ['never'],
      },
      warnings: [],
    };
    return {
      runId: this.runId,
      plan,
      docker: this.docker,
      emit: (event) => this.events.push({ ...event, runId: this.runId, time: Date.now() } as RunEvent),
      signal: this.controller.signal,
      secrets: [],
      runDir: this.runDir,
      options: { keepOnFailure: false },
    };
  }

  /** Runs one job built from `extra` (image jobsim-test/shell:1 unless given). */
  run(extra: Partial<JobPlan>): Promise<JobOutcome> {
    const job = jobPlan('unit test', extra);
    return runJob(job, this.context([job]), []);
  }

  logs(source?: LogEvent['source']): string[] {
    return this.events.flatMap((e) => (e.type === 'log' && (!source || e.source === source) ? [plain(e.text)] : []));
  }

  rawLogs(): string[] {
    return this.events.flatMap((e) => (e.type === 'log' ? [e.text] : []));
  }

  stages(): StageEvent[] {
    return this.events.filter((e): e is StageEvent => e.type === 'stage');
  }

  jobEvents(): JobEvent[] {
    return this.events.filter((e): e is JobEvent => e.type === 'job');
  }

  /** What this run still has on the daemon (any kind, persistent or not). */
  leftovers(): Promise<ManagedObject[]> {
    return listManagedObjects(this.docker, [`${LABELS.runId}=${this.runId}`]);
  }

  /** Safety net after each test: removes only this run's objects and the temp folders. */
  async dispose(): Promise<void> {
    for (const object of await this.leftovers()) await removeManagedObject(this.docker, object);
    rmSync(this.projectDir, { recursive: true, force: true });
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
