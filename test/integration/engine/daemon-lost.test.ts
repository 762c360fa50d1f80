// The Docker engine going away in the middle of a job: the job must fail promptly with reason
// `daemon-lost`, never hang. The real daemon is shared, so the test talks to it through a Unix-socket
// proxy and "loses" the daemon by closing the proxy (every open connection included) mid-script.

import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../../main/engine/run-one-job.js';
import { EngineRun, jobPlan } from './engine-fixture.js';

const DAEMON_SOCKET = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock';

class SocketProxy {
  private readonly dir = mkdtempSync(join(tmpdir(), 'jobsim-proxy-'));
  readonly path = join(this.dir, 'docker.sock');
  private readonly sockets = new Set<Socket>();
  // Half-open allowed: the script is written to stdin and stdin closed while output still flows back.
  private readonly server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = createConnection({ path: DAEMON_SOCKET, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  /** The daemon "dies": no new connections, every open one cut. */
  cut(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  dispose(): void {
    this.cut();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let proxy: SocketProxy | undefined;
let run: EngineRun | undefined;
afterEach(async () => {
  proxy?.dispose();
  // Clean up through the real daemon: the job could not.
  await run?.dispose();
  proxy = undefined;
  run = undefined;
});

describe('runJob: daemon lost mid-job', () => {
  it('fails the job with daemon-lost when the engine goes away during the script', async () => {
    proxy = new SocketProxy();
    await proxy.listen();
    const realRun = await EngineRun.create();
    run = realRun;
    const viaProxy = new Docker({ socketPath: proxy.path });
    const context = { ...realRun.context([]), docker: viaProxy };
    const job = jobPlan('lose the daemon', { script: ['echo started', 'sleep 60'] });
    const cutter = proxy;

    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        realRun.context([]).emit(event);
        if (event.type === 'log' && event.source === 'build' && event.text === 'started') cutter.cut();
      },
    }, []);

    expect(outcome).toMatchObject({ state: 'failed', reason: { kind: 'daemon-lost' } });
    expect(realRun.logs('build')).toContain('started');
  });
});
