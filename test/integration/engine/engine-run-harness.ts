// `jobsim run --json` against a second engine (support/second-engine.ts), with every event timestamped on
// arrival, so a test can act on the engine at a precise moment (freeze it, stop it) and time the answer.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { JobEvent, LogEvent, RunEvent } from '../../../shared/events.js';
import { ROOT, type Sandbox } from '../cli/cli-harness.js';

export interface Arrived {
  event: RunEvent;
  /** Date.now() when the line reached the test. */
  at: number;
}

export interface EngineRunProcess {
  child: ChildProcess;
  events: Arrived[];
  stderr(): string;
  /** Resolves with the first event that matches, as it arrives; rejects if jobsim exits first. */
  waitFor(match: (event: RunEvent) => boolean, what: string): Promise<Arrived>;
  /** Resolves with the exit code and when it came. */
  exited: Promise<{ code: number | null; at: number }>;
}

export function runOnEngine(box: Sandbox, host: string, args: string[]): EngineRunProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin/jobsim.js'), 'run', '--json', ...args], {
    env: { ...box.env, DOCKER_HOST: host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Arrived[] = [];
  const waiters: { match: (event: RunEvent) => boolean; resolve: (a: Arrived) => void }[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const arrived = { event: JSON.parse(line) as RunEvent, at: Date.now() };
      events.push(arrived);
      for (const waiter of waiters.filter((w) => w.match(arrived.event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(arrived);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('close', (code) => resolve({ code, at: Date.now() })));
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    waitFor: (match, what) => {
      const found = events.find((a) => match(a.event));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code }) => reject(new Error(`jobsim exited (${code}) before ${what}:\n${events.map((a) => JSON.stringify(a.event)).join('\n')}\n${stderr}`)));
      });
    },
  };
}

export const isLog = (event: RunEvent, text: RegExp | string): event is LogEvent =>
  event.type === 'log' && (typeof text === 'string' ? event.text.includes(text) : text.test(event.text));

export function finalJob(events: Arrived[], job: string): (Arrived & { event: JobEvent }) | undefined {
  return events.find((a): a is Arrived & { event: JobEvent } =>
    a.event.type === 'job' && a.event.job === job && !['pending', 'running'].includes(a.event.state));
}

export function logText(events: Arrived[]): string {
  return events.flatMap((a) => (a.event.type === 'log' ? [a.event.text] : [])).join('\n');
}
