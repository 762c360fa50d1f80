// Runs a pipeline written inline through the real launcher (parser, engine, Docker), collecting its events.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunEvent, RunStatus } from '../../../shared/events.js';
import { startRun, type RunHandle, type StartRunOptions } from '../../../main/engine/run.js';

export interface ProjectRun {
  status: RunStatus;
  events: RunEvent[];
  /** Build and runner lines of one job. */
  log(job: string): string[];
  handle: RunHandle;
}

process.env.JOBSIM_HOME ??= path.join(tmpdir(), 'jobsim-test-home');

export async function withProject<T>(files: Record<string, string>, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jobsim-job-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runProject(projectDir: string, options: Omit<StartRunOptions, 'projectDir'> = {}, during?: (handle: RunHandle, events: RunEvent[]) => void): Promise<ProjectRun> {
  const handle = await startRun({ projectDir, ...options });
  const events: RunEvent[] = [];
  handle.subscribe((event) => {
    events.push(event);
    during?.(handle, events);
  });
  const status = await handle.done;
  return {
    status,
    events,
    handle,
    log: (job) => events.flatMap((e) => (e.type === 'log' && e.job === job ? [e.text] : [])),
  };
}

/** Every container, network and volume a run left behind (persistent caches excluded). */
export async function leftovers(runId: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  const list = (args: string[]) =>
    new Promise<string[]>((resolve, reject) =>
      execFile('docker', args, (error, stdout) => (error ? reject(error) : resolve(stdout.split('\n').filter((l) => l.trim() !== '')))),
    );
  const filter = `label=dev.jobsim.run-id=${runId}`;
  const [containers, networks, volumes] = await Promise.all([
    list(['ps', '-a', '--filter', filter, '--format', '{{.Names}}']),
    list(['network', 'ls', '--filter', filter, '--format', '{{.Name}}']),
    list(['volume', 'ls', '--filter', filter, '--filter', 'label=dev.jobsim.persist!=true', '--format', '{{.Name}}']),
  ]);
  return [...containers, ...networks, ...volumes];
}

export const IMAGE = ['  image:', '    name: jobsim-test/shell:1', '    pull_policy: never'].join('\n');
