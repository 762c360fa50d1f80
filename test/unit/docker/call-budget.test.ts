// The budget each kind of Docker API call gets (main/docker/call-budget.ts), and what the handle does
// with it (engine-health.ts) against a socket that accepts connections and never answers, like a dockerd
// stopped with SIGSTOP.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { budgetFor, BUDGET_MS, describeCall } from '../../../main/docker/call-budget.js';
import { engineLost, EngineUnavailableError, pingEngine, superviseEngine, withCallBudgets } from '../../../main/docker/engine-health.js';

describe('budgetFor', () => {
  const id = 'f'.repeat(64);

  it('gives pings, reads, creates and removals short fixed budgets', () => {
    expect(budgetFor({ method: 'GET', path: '/_ping' })).toEqual({ kind: 'ping', ms: BUDGET_MS.ping });
    expect(budgetFor({ method: 'GET', path: '/version' })).toEqual({ kind: 'ping', ms: BUDGET_MS.ping });
    expect(budgetFor({ method: 'GET', path: `/containers/${id}/json?` })).toEqual({ kind: 'read', ms: BUDGET_MS.read });
    expect(budgetFor({ method: 'GET', path: '/containers/json?' })).toEqual({ kind: 'read', ms: BUDGET_MS.read });
    expect(budgetFor({ method: 'POST', path: '/containers/create?' })).toEqual({ kind: 'create', ms: BUDGET_MS.create });
    expect(budgetFor({ method: 'POST', path: '/networks/create?' })).toEqual({ kind: 'create', ms: BUDGET_MS.create });
    expect(budgetFor({ method: 'POST', path: '/volumes/create?' })).toEqual({ kind: 'create', ms: BUDGET_MS.create });
    for (const path of [`/containers/${id}?`, '/networks/net1', '/volumes/vol1?', '/images/busybox:1.36?']) {
      expect(budgetFor({ method: 'DELETE', path })).toEqual({ kind: 'remove', ms: BUDGET_MS.remove });
    }
    expect(budgetFor({ method: 'POST', path: `/containers/${id}/start?` })).toEqual({ kind: 'change', ms: BUDGET_MS.change });
  });

  it("gives a stop its grace period on top of the margin", () => {
    expect(budgetFor({ method: 'POST', path: `/containers/${id}/stop?`, options: { t: 10 } }).ms).toBe(10_000 + BUDGET_MS.stopMargin);
    expect(budgetFor({ method: 'POST', path: `/containers/${id}/stop?`, options: { t: 0 } }).ms).toBe(BUDGET_MS.stopMargin);
    expect(budgetFor({ method: 'POST', path: `/containers/${id}/stop?` }).ms).toBe(10_000 + BUDGET_MS.stopMargin);
  });

  it('counts every chunk of a pull or an archive as an answer (an idle budget)', () => {
    for (const [method, path] of [['POST', '/images/create?'], ['GET', `/containers/${id}/archive?`], ['GET', '/images/get?'], ['POST', '/build?']] as const) {
      expect(budgetFor({ method, path })).toEqual({ kind: 'transfer', ms: BUDGET_MS.transferIdle, idle: true });
    }
  });

  it('leaves calls that wait on the job itself to the watchdog', () => {
    for (const [method, path] of [['POST', `/containers/${id}/attach?`], ['POST', `/containers/${id}/wait?`], ['GET', '/events?'], ['POST', `/exec/${id}/start`]] as const) {
      expect(budgetFor({ method, path })).toEqual({ kind: 'watched' });
    }
    expect(budgetFor({ method: 'GET', path: `/containers/${id}/logs?`, options: { follow: true } })).toEqual({ kind: 'watched' });
    expect(budgetFor({ method: 'GET', path: `/containers/${id}/logs?`, options: { follow: false, tail: 50 } })).toEqual({ kind: 'read', ms: BUDGET_MS.read });
  });

  it('gives uploads and commits a long fixed budget', () => {
    expect(budgetFor({ method: 'PUT', path: `/containers/${id}/archive?` })).toEqual({ kind: 'long', ms: BUDGET_MS.long });
    expect(budgetFor({ method: 'POST', path: '/commit?' })).toEqual({ kind: 'long', ms: BUDGET_MS.long });
    expect(budgetFor({ method: 'POST', path: '/images/load?' })).toEqual({ kind: 'long', ms: BUDGET_MS.long });
  });

  it('names a call without its query and with short ids', () => {
    expect(describeCall({ method: 'get', path: `/containers/${id}/json?all=1` })).toBe(`GET /containers/${'f'.repeat(12)}/json`);
  });
});

describe('a handle with call budgets, on an engine that never answers', () => {
  let server: Server | undefined;
  let dir: string | undefined;
  const sockets = new Set<Socket>();

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = undefined;
  });

  async function frozenEngine(): Promise<Docker> {
    dir = mkdtempSync(join(tmpdir(), 'jobsim-frozen-'));
    const socketPath = join(dir, 'docker.sock');
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    return withCallBudgets(new Docker({ socketPath }));
  }

  it('a ping gets no answer within its own timeout', async () => {
    const docker = await frozenEngine();
    const started = Date.now();
    const ping = await pingEngine(docker, 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ping).toMatchObject({ ok: false, error: { loss: 'stopped-answering' } });
  });

  it('declaring the engine lost ends every pending call, streams included, and fails new ones while supervised', async () => {
    const docker = await frozenEngine();
    const supervision = superviseEngine(docker);
    try {
      const inspect = docker.getContainer('abc').inspect();
      const waited = docker.getContainer('abc').wait();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lost = new EngineUnavailableError('stopped-answering', 'the Docker engine stopped answering (test)');
      engineLost(docker, lost);
      await expect(inspect).rejects.toBe(lost);
      await expect(waited).rejects.toBe(lost);
      await expect(docker.listContainers()).rejects.toBe(lost);
    } finally {
      supervision.release();
    }
  });

  it('a gone engine (no socket) is told apart from a frozen one', async () => {
    const docker = withCallBudgets(new Docker({ socketPath: join(tmpdir(), `jobsim-no-such-${process.pid}.sock`) }));
    expect(await pingEngine(docker, 1000)).toMatchObject({ ok: false, error: { loss: 'went-away' } });
  });
});
