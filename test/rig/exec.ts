// Small process helpers for the rig: run a command and capture its output, start a detached daemon,
// report one line per action, and fail with a message plus advice instead of a stack trace.

import { spawn } from 'node:child_process';
import { openSync, closeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A problem the rig cannot fix by itself: printed as message + advice, exit code 2. */
export class RigError extends Error {
  readonly advice?: string;
  constructor(message: string, advice?: string) {
    super(message);
    this.name = 'RigError';
    this.advice = advice;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command after this many milliseconds (reported as exit code 124). */
  timeoutMs?: number;
}

/** Runs a command to completion. A missing executable is exit code 127, like a shell. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      resolve({ code: error.code === 'ENOENT' ? 127 : 126, stdout, stderr: stderr + error.message });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: timedOut ? 124 : (code ?? 1), stdout, stderr });
    });
  });
}

/** Runs a command and throws a RigError carrying the tail of its output when it fails. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-8).join('\n    ');
    throw new RigError(`\`${[command, ...args].join(' ')}\` failed (exit ${result.code})${tail ? `:\n    ${tail}` : ''}`);
  }
  return result.stdout;
}

/**
 * Starts a long-running process that outlives the rig: its own session, stdio to a log file, unref'd.
 * Returns its pid.
 */
export function startDetached(command: string, args: readonly string[], logFile: string): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    if (child.pid === undefined) throw new RigError(`could not start ${command} (see ${logFile})`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

let prefix = 'rig';
let collected: string[] | undefined;

/**
 * For the demo, where users see it: prefix `jobsim`, and every action goes into one line that
 * flushSaid() prints. The test command prints one `rig:` line per action as it happens.
 */
export function sayInOneLine(value: string): void {
  prefix = value;
  collected = [];
}

/** One line per action the rig takes. */
export function say(line: string): void {
  if (collected) collected.push(line);
  else process.stdout.write(`${prefix}: ${line}\n`);
}

export function flushSaid(): void {
  if (collected && collected.length > 0) process.stdout.write(`${prefix}: ${collected.join('; ')}\n`);
  collected = collected ? [] : undefined;
}
