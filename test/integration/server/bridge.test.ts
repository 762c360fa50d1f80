// `jobsim serve`'s door: token, Host and Origin checks, and the API over the socket (with a fake
// engine; the end-to-end tests drive a real one).
import { get as httpGet } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { ShellOutput } from '../../../shared/debug.js';
import type { RunEvent } from '../../../shared/events.js';
import type { ServerMessage } from '../../../shared/wire.js';
import { startServer, type RunningServer } from '../../../main/server/index.js';
import { createFakeApi } from '../../support/fake-api.js';

let dir: string;
let server: RunningServer;
const api = createFakeApi();
const TOKEN = 'test-token-0123456789abcdef';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobsim-serve-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>jobsim</title>');
  server = await startServer({ api, staticDir: dir, host: '127.0.0.1', port: 0, token: TOKEN });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;

function openSocket(options: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const token = options.token ?? TOKEN;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${token}`, { headers: { Origin: options.origin ?? base() } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket, kind: ServerMessage['kind']): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.kind !== kind) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
}

describe('jobsim serve', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('answers 401 and nothing else without the token or with a wrong one', async () => {
    for (const url of [`${base()}/`, `${base()}/?token=wrong`, `${base()}/index.html?token=${TOKEN}x`]) {
      const response = await fetch(url);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('jobsim</title>');
    }
  });

  it('serves the page with the token, then from the cookie it set, with a strict CSP', async () => {
    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toBe(`jobsim_token=${TOKEN}`);
    const again = await fetch(`${base()}/index.html`, { headers: { cookie } });
    expect(await again.text()).toContain('<title>jobsim</title>');
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await fetch(`${base()}/..%2f..%2f..%2fetc%2fpasswd?token=${TOKEN}`);
    expect(response.status).toBe(404);
  });

  it('refuses a socket with a wrong token or from another origin', async () => {
    await expect(openSocket({ token: 'wrong' })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpGet({ host: '127.0.0.1', port: server.port, path: `/?token=${TOKEN}`, headers: { Host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('answers calls, and rejects bad arguments before they reach the engine', async () => {
    api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true, version: '20.10' });
    const socket = await openSocket();
    const result = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ kind: 'call', id: 1, method: 'doctor', args: [] }));
    expect(await result).toMatchObject({ id: 1, value: { reachable: true, version: '20.10' } });

    const error = nextMessage(socket, 'error');
    socket.send(JSON.stringify({ kind: 'call', id: 2, method: 'startRun', args: [{ projectDir: 7 }] }));
    expect(await error).toEqual({ kind: 'error', id: 2, message: 'bad request: projectDir must be a string' });
    expect(api.startRun).not.toHaveBeenCalled();
    socket.close();
  });

  it('checks the pipeline choice of startRun and openProject, and passes a valid one on', async () => {
    const socket = await openSocket();
    const refused = nextMessage(socket, 'error');
    socket.send(JSON.stringify({ kind: 'call', id: 3, method: 'startRun', args: [{ projectDir: '/p', pipeline: { source: 'cron' } }] }));
    expect(await refused).toEqual({ kind: 'error', id: 3, message: 'bad request: pipeline.source must be one of push, merge_request_event, schedule, web, api, trigger' });
    const refusedOpen = nextMessage(socket, 'error');
    socket.send(JSON.stringify({ kind: 'call', id: 4, method: 'openProject', args: ['/p', null, null, { ref: 'a', tag: 'b' }] }));
    expect(await refusedOpen).toEqual({ kind: 'error', id: 4, message: 'bad request: pipeline: give ref or tag, not both' });
    expect(api.startRun).not.toHaveBeenCalled();
    expect(api.openProject).not.toHaveBeenCalled();

    api.startRun.mockResolvedValue({ runId: '20261207-000000-abcdef' });
    const started = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ kind: 'call', id: 5, method: 'startRun', args: [{ projectDir: '/p', pipeline: { tag: 'v1.0' } }] }));
    expect(await started).toMatchObject({ id: 5, value: { runId: '20261207-000000-abcdef' } });
    expect(api.startRun).toHaveBeenCalledWith(expect.objectContaining({ projectDir: '/p', pipeline: { tag: 'v1.0' } }));
    socket.close();
  });

  it('lets two tabs watch the same run', async () => {
    const listeners: ((events: RunEvent[]) => void)[] = [];
    api.subscribe.mockImplementation((_runId, onEvents) => {
      listeners.push(onEvents);
      return () => undefined;
    });
    const [a, b] = await Promise.all([openSocket(), openSocket()]);
    const got = [nextMessage(a, 'events'), nextMessage(b, 'events')];
    a.send(JSON.stringify({ kind: 'subscribe', id: 5, runId: 'run-1' }));
    b.send(JSON.stringify({ kind: 'subscribe', id: 9, runId: 'run-1' }));
    await expect.poll(() => listeners.length).toBe(2);
    const event: RunEvent = { type: 'log', runId: 'run-1', time: 1, job: 'test', source: 'build', stream: 'stdout', text: 'hello' };
    for (const listener of listeners) listener([event]);
    expect(await got[0]).toEqual({ kind: 'events', id: 5, events: [event] });
    expect(await got[1]).toEqual({ kind: 'events', id: 9, events: [event] });
    a.close();
    b.close();
  });

  it('carries a shell both ways, and closes it when the tab goes', async () => {
    const session = { write: vi.fn(), resize: vi.fn(), close: vi.fn() };
    let output: ((o: ShellOutput) => void) | undefined;
    api.openShell.mockImplementation((_target, _size, onOutput) => {
      output = onOutput;
      return session;
    });
    const socket = await openSocket();
    socket.send(JSON.stringify({ kind: 'shell-open', id: 4, target: { runId: 'last', job: 'test' }, size: { cols: 100, rows: 30 } }));
    await expect.poll(() => output).toBeDefined();
    expect(api.openShell).toHaveBeenCalledWith({ runId: 'last', job: 'test' }, { cols: 100, rows: 30 }, expect.any(Function));
    const opened = nextMessage(socket, 'shell');
    output?.({ kind: 'data', data: '$ ' });
    expect(await opened).toEqual({ kind: 'shell', id: 4, output: { kind: 'data', data: '$ ' } });
    socket.send(JSON.stringify({ kind: 'shell-input', id: 4, data: 'ls\r' }));
    socket.send(JSON.stringify({ kind: 'shell-resize', id: 4, size: { cols: 80, rows: 20 } }));
    await expect.poll(() => session.resize.mock.calls.length).toBe(1);
    expect(session.write).toHaveBeenCalledWith('ls\r');
    expect(session.resize).toHaveBeenCalledWith({ cols: 80, rows: 20 });
    socket.close();
    await expect.poll(() => session.close.mock.calls.length).toBe(1);
  });

  it('answers 400 to a request target that is no URL path, and keeps serving', async () => {
    // `new URL('//', base)` throws: it used to escape the request handler and end the process.
    for (const target of ['//', `//@?token=${TOKEN}`]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const request = httpGet({ host: '127.0.0.1', port: server.port, path: target, headers: { Host: `127.0.0.1:${server.port}` } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        });
        request.on('error', reject);
      });
      expect(status).toBe(400);
    }
    expect((await fetch(server.url)).status).toBe(200);
  });

  it('will not listen beyond loopback unless asked to', async () => {
    await expect(startServer({ api, staticDir: dir, host: '0.0.0.0', port: 0 })).rejects.toThrow('refusing to listen on 0.0.0.0');
  });
});
