// One client breaking the WebSocket protocol must cost only its own connection: a message over the
// 1 MiB limit and a text frame that is not UTF-8, sent to the built `jobsim serve` while it drives a run
// on the real engine. The client gets a close code with a reason; the server answers the next client; the
// run finishes normally and leaves nothing on the engine.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunEvent } from '../../shared/events.js';
import type { ServerMessage } from '../../shared/wire.js';
import { TEST_IMAGES } from '../rig/constants.js';
import { startServe, type ServeProcess } from './support/serve.js';

const exec = promisify(execFile);

let home: string;
let project: string;
let serve: ServeProcess;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-frames-home-'));
  project = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-frames-'));
  await writeFile(
    path.join(project, '.gitlab-ci.yml'),
    ['slow:', `  image: { name: ${TEST_IMAGES.shell}, pull_policy: if-not-present }`, '  script:', '    - sleep 4', '    - echo slow-job-done', ''].join('\n'),
  );
  serve = await startServe(project, { JOBSIM_HOME: home });
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  for (const dir of [home, project]) if (dir) await rm(dir, { recursive: true, force: true });
});

function openClient(): Promise<WebSocket> {
  const url = new URL(serve.url);
  const socket = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    // The client may see its socket reset after the close frame; that is not what is tested here.
    socket.on('error', () => undefined);
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

async function call(socket: WebSocket, id: number, method: string, args: unknown[]): Promise<unknown> {
  const answer = new Promise<ServerMessage>((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.id !== id || (message.kind !== 'result' && message.kind !== 'error')) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
  socket.send(JSON.stringify({ kind: 'call', id, method, args }));
  const message = await answer;
  if (message.kind === 'error') throw new Error(message.message);
  return (message as { value: unknown }).value;
}

/** Resolves with the run's final status, from a subscription on this socket. */
function runFinished(socket: WebSocket, runId: string, id: number): Promise<string> {
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.kind !== 'events' || message.id !== id) return;
      const end = message.events.find((e: RunEvent) => e.type === 'run' && e.state === 'finished');
      if (end && end.type === 'run' && end.state === 'finished') resolve(end.status);
    });
    socket.send(JSON.stringify({ kind: 'subscribe', id, runId }));
  });
}

const BAD_FRAMES: { name: string; send(socket: WebSocket): void; code: number; reason: RegExp }[] = [
  { name: 'a message over 1 MiB', send: (s) => s.send('x'.repeat(1024 * 1024 + 1)), code: 1009, reason: /too big: the limit is 1 MiB/ },
  // 0xff can never appear in UTF-8; `binary: false` sends the bytes as a text frame.
  { name: 'a text frame with invalid UTF-8', send: (s) => s.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }), code: 1007, reason: /not valid UTF-8/ },
];

describe('jobsim serve and a client breaking the protocol', () => {
  it.each(BAD_FRAMES)('closes only that client on $name; the server and its run go on', async ({ send, code, reason }) => {
    const driver = await openClient();
    const { runId } = (await call(driver, 1, 'startRun', [{ projectDir: project }])) as { runId: string };
    const bad = await openClient();
    await call(bad, 1, 'listRuns', []);
    const badClosed = closed(bad);
    send(bad);
    const close = await badClosed;
    expect(close.code).toBe(code);
    expect(close.reason).toMatch(reason);

    expect(serve.child.exitCode).toBeNull();
    const second = await openClient();
    const runs = (await call(second, 2, 'listRuns', [])) as { runId: string }[];
    expect(runs.map((r) => r.runId)).toContain(runId);
    expect(await runFinished(second, runId, 3)).toBe('success');
    second.close();
    driver.close();

    const filter = `label=dev.jobsim.run-id=${runId}`;
    const left = [
      ...(await exec('docker', ['ps', '-a', '-q', '--filter', filter])).stdout.split('\n'),
      ...(await exec('docker', ['network', 'ls', '-q', '--filter', filter])).stdout.split('\n'),
    ].filter(Boolean);
    expect(left).toEqual([]);
    expect(serve.output()).not.toMatch(/\n\s+at /);
    expect(serve.output()).toContain('jobsim: closed a UI connection');
  });
});
