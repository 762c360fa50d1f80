// Runs the built CLI as a user would (`node bin/jobsim.js`), with its own JOBSIM_HOME, on copies of the
// examples, and finds the Docker objects a run left behind by its run-id label.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { JobEvent, LogEvent, RunEvent } from '../../../shared/events.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/jobsim.js');
const run = promisify(execFile);

/** Builds dist/ once per test file; a lock dir keeps parallel test files from building at once. */
export async function buildCli(): Promise<void> {
  const lock = join(tmpdir(), 'jobsim-cli-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`build lock ${lock} held for 2 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--quiet', '--no-renderer'], { cwd: ROOT });
  } finally {
    rmdirSync(lock);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  env: NodeJS.ProcessEnv;
  /** A copy of examples/<name> (or an empty folder) to run in. */
  project(example?: string, files?: Record<string, string>): string;
  jobsim(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  spawnJobsim(args: string[]): ChildProcess;
  /** Removes the cache volumes this sandbox's projects saved (caches persist by design). */
  removeCaches(): Promise<void>;
}

export function sandbox(): Sandbox {
  const base = mkdtempSync(join(tmpdir(), 'jobsim-cli-'));
  const home = join(base, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, JOBSIM_HOME: home, NO_COLOR: '1' };
  let projects = 0;
  // Unique folder names: the project path (`local/<folder>`) keys the caches, which outlive the test.
  const prefix = `cli-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const made: string[] = [];
  return {
    home,
    env,
    project(example, files = {}) {
      const name = `${prefix}-${projects++}`;
      made.push(name);
      const dir = join(base, name);
      if (example) cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
      else mkdirSync(dir);
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      return dir;
    },
    jobsim(args, extraEnv = {}) {
      return new Promise((done) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => done({ code, stdout, stderr }));
      });
    },
    spawnJobsim(args) {
      return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    },
    async removeCaches() {
      for (const name of made) {
        const { stdout } = await run('docker', ['volume', 'ls', '-q', '--filter', `label=dev.jobsim.cache.project=local/${name}`]);
        const volumes = stdout.split('\n').filter((v) => v.trim() !== '');
        if (volumes.length > 0) await run('docker', ['volume', 'rm', '--force', ...volumes]);
      }
    },
  };
}

/** Names of containers, networks and volumes (non-persistent) carrying this run id. */
export async function leftovers(runId: string): Promise<string[]> {
  const filter = `label=dev.jobsim.run-id=${runId}`;
  const found: string[] = [];
  const list = async (args: string[]): Promise<string[]> => (await run('docker', args)).stdout.split('\n').filter(Boolean);
  found.push(...(await list(['ps', '-a', '--filter', filter, '--format', 'container {{.Names}}'])));
  found.push(...(await list(['network', 'ls', '--filter', filter, '--format', 'network {{.Name}}'])));
  const volumes = await list(['volume', 'ls', '--filter', filter, '--format', '{{.Name}} {{.Label "dev.jobsim.persist"}}']);
  found.push(...volumes.filter((v) => !v.endsWith(' true')).map((v) => `volume ${v}`));
  return found;
}

/** Resolves with stdout so far once it contains `text`; rejects (with the output) if the process ends first. */
export function waitForOutput(child: ChildProcess, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) resolve(out);
    });
    child.on('close', (code) => reject(new Error(`jobsim exited (${code}) before printing ${text}:\n${out}\n${err}`)));
  });
}

/** The runId from `jobsim run --json` output (the first event carries it). */
export function runIdOf(ndjson: string): string {
  const first = ndjson.split('\n').find(Boolean);
  if (!first) throw new Error('no events printed');
  return (JSON.parse(first) as { runId: string }).runId;
}

/** The events of `jobsim run --json` output, one per line. */
export const runEvents = (ndjson: string): RunEvent[] => ndjson.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);

/** Each job that finished, with how: `{ build: 'success', test: 'failed' }`. */
export const finishedJobs = (events: RunEvent[]): Record<string, string> =>
  Object.fromEntries(events.filter((e): e is JobEvent => e.type === 'job' && ['success', 'failed'].includes(e.state)).map((e) => [e.job, e.state]));

/** Everything one job printed. */
export const jobLog = (events: RunEvent[], job: string): string =>
  events.filter((e): e is LogEvent => e.type === 'log' && 'job' in e && e.job === job).map((e) => e.text).join('');

/** `git` in a test repository, with an author set. */
export function gitIn(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
}

/** Runs the project's pipeline (`jobsim run -C DIR --json`); the jobs that succeeded, sorted. Throws unless it exits 0. */
export async function succeededJobs(box: Sandbox, dir: string): Promise<string[]> {
  const result = await box.jobsim(['run', '-C', dir, '--json']);
  if (result.code !== 0) throw new Error(`jobsim run exited ${result.code}: ${result.stderr}`);
  return Object.entries(finishedJobs(runEvents(result.stdout))).filter(([, state]) => state === 'success').map(([job]) => job).sort();
}
