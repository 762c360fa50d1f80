// `jobsim doctor` and connectDocker against the live daemon, and against engines that are not there.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api.js';
import { connectDocker } from '../../../main/docker/client.js';
import { diagnoseDocker } from '../../../main/docker/doctor.js';
import { contextDirName } from '../../../main/docker/endpoint.js';
import { EnvironmentError } from '../../../main/errors.js';

const CLI = join(process.cwd(), 'main', 'cli.ts');

/** Runs the CLI from source with extra environment; returns exit code and both streams. */
function jobsim(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const listen = <T extends Server | TcpServer>(server: T): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`)));

let notDocker: Server;
let notDockerHost: string;
let silent: TcpServer;
let silentHost: string;
const silentSockets: Socket[] = [];
let configDir: string;

beforeAll(async () => {
  // Loopback stand-ins: an HTTP server that is not Docker, and a socket that accepts but never answers.
  notDocker = createServer((_request, response) => response.writeHead(404).end('404 page not found'));
  notDockerHost = await listen(notDocker);
  silent = createTcpServer((socket) => silentSockets.push(socket));
  silentHost = await listen(silent);
  configDir = mkdtempSync(join(tmpdir(), 'jobsim-doctor-'));
});

afterAll(async () => {
  notDocker.closeAllConnections();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => notDocker.close(resolve));
  await new Promise((resolve) => silent.close(resolve));
  rmSync(configDir, { recursive: true, force: true });
});

describe('against the live daemon', () => {
  it('reports the engine, its version, the negotiated API version and the OS', async () => {
    const report = await diagnoseDocker({ env: {} });
    expect(report).toMatchObject({ reachable: true, endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' } });
    expect(report.version).toMatch(/^\d+\.\d+/);
    expect(report.apiVersion).toMatch(/^1\.\d+$/);
    expect(report.os).toMatch(/linux/);
    expect(report.error).toBeUndefined();
  });

  it('connects with the negotiated API version pinned', async () => {
    const { docker, engine } = await connectDocker({ env: {} });
    expect(engine.apiVersion).toMatch(/^1\.\d+$/);
    const info = (await docker.version()) as { ApiVersion: string };
    expect(Number(engine.apiVersion.split('.')[1])).toBeLessThanOrEqual(Number(info.ApiVersion.split('.')[1]));
    expect((docker.modem as { version?: string }).version).toBe(`v${engine.apiVersion}`);
  });

  it('finds the engine through a Docker context', async () => {
    const meta = { Name: 'jobsim-test', Metadata: {}, Endpoints: { docker: { Host: 'unix:///var/run/docker.sock', SkipTLSVerify: false } } };
    const metaDir = join(configDir, 'contexts', 'meta', contextDirName('jobsim-test'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify(meta));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'jobsim-test' }));
    const report = await diagnoseDocker({ env: { DOCKER_CONFIG: configDir } });
    expect(report).toMatchObject({ reachable: true, endpoint: { source: 'context', context: 'jobsim-test', address: 'unix:///var/run/docker.sock' } });
  });

  it('prints a readable report and exits 0 from the CLI; --json gives the same facts', async () => {
    const text = await jobsim(['doctor'], { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('answers:     yes');
    expect(text.stdout).toMatch(/version: +Docker \S+, API 1\.\d+ \(negotiated\)/);
    const json = await jobsim(['doctor', '--json'], { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as DoctorReport).reachable).toBe(true);
  });
});

describe('when no engine answers', () => {
  it('connectDocker throws an EnvironmentError naming the address, the cause and what to do', async () => {
    const attempt = connectDocker({ env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentError);
    await expect(attempt).rejects.toMatchObject({
      message: 'no Docker engine answered at unix:///nonexistent.sock (connect ENOENT)',
      advice: 'start the engine at DOCKER_HOST, or unset DOCKER_HOST to use the default socket; `jobsim doctor` shows what jobsim tried',
    });
  });

  it('gives up within its bounded timeout on an engine that never answers', async () => {
    await expect(connectDocker({ env: { DOCKER_HOST: silentHost }, pingTimeoutMs: 300 })).rejects.toThrow(
      `no Docker engine answered at ${silentHost} (no answer within 0.3 s)`,
    );
  });

  it('says when the address answers but is not a Docker engine', async () => {
    await expect(connectDocker({ env: { DOCKER_HOST: notDockerHost } })).rejects.toThrow(
      `no Docker engine answered at ${notDockerHost} (it answered GET /version with HTTP 404: not a Docker engine?)`,
    );
  });

  it('doctor exits 2 with the cause and advice, and no stack trace', async () => {
    const result = await jobsim(['doctor'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('DOCKER_HOST: unix:///nonexistent.sock');
    expect(result.stdout).toContain('answers:     no — no Docker engine answered at unix:///nonexistent.sock (connect ENOENT)');
    expect(result.stdout).toContain('what to do:  start the engine at DOCKER_HOST');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at /m);
    const json = JSON.parse((await jobsim(['doctor', '--json'], { DOCKER_HOST: 'unix:///nonexistent.sock' })).stdout) as DoctorReport;
    expect(json).toMatchObject({ reachable: false, endpoint: { source: 'DOCKER_HOST', address: 'unix:///nonexistent.sock' } });
  });

  it('doctor explains a Docker context that does not exist', async () => {
    const result = await jobsim(['doctor'], { DOCKER_HOST: undefined, DOCKER_CONTEXT: 'no-such-context' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Docker context "no-such-context" (from DOCKER_CONTEXT) does not exist');
    expect(result.stdout).toContain('docker context ls');
  });

  it('doctor rejects unknown options as a usage error', async () => {
    const result = await jobsim(['doctor', '--verbose'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--verbose'");
  });
});
