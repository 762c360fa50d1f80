// connectDocker over tcp and TLS, against loopback stand-ins for an engine: they answer GET /version
// and record the paths they are asked for, so the negotiated, pinned API version is visible.
// (The real daemon here listens on a unix socket only; doctor.test.ts covers it.)

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../../main/docker/client.js';
import { contextDirName } from '../../../main/docker/endpoint.js';
import { EnvironmentError } from '../../../main/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'jobsim-tls-'));
const certs = join(dir, 'certs');
const requested: string[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: certs, stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, named as the docker CLI expects. */
function makeCertificates(): void {
  mkdirSync(certs, { recursive: true });
  writeFileSync(join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=jobsim-test-ca');
  for (const [name, subject] of [['server', '/CN=127.0.0.1'], ['client', '/CN=jobsim-client']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '1', '-extfile', `${name}.ext`);
  }
  copyFileSync(join(certs, 'client-cert.pem'), join(certs, 'cert.pem'));
  copyFileSync(join(certs, 'client-key.pem'), join(certs, 'key.pem'));
}

function fakeEngine(apiVersion: string, minApiVersion: string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    requested.push(request.url ?? '');
    if (request.url === '/version') {
      const body = { Version: 'fake-1.0', ApiVersion: apiVersion, MinAPIVersion: minApiVersion, Os: 'linux', Arch: 'amd64' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else if (request.url?.endsWith('/_ping')) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    } else {
      response.writeHead(404).end('{"message":"page not found"}');
    }
  };
}

type Closable = { close(callback: () => void): void; closeAllConnections(): void; address(): AddressInfo | string | null };
const servers: Closable[] = [];
let tlsHost = '';
let plainHost = '';

async function start(server: Closable & { listen(port: number, host: string, done: () => void): void }): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  makeCertificates();
  const tlsServer = createHttpsServer(
    {
      key: readFileSync(join(certs, 'server-key.pem')),
      cert: readFileSync(join(certs, 'server-cert.pem')),
      ca: readFileSync(join(certs, 'ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    fakeEngine('1.43', '1.12'),
  );
  tlsHost = await start(tlsServer);
  plainHost = await start(createHttpServer(fakeEngine('1.52', '1.44')));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('tcp engines', () => {
  it('negotiates down to jobsim\'s newest API for a newer engine and pins it on every request', async () => {
    const { docker, engine, endpoint } = await connectDocker({ env: { DOCKER_HOST: plainHost } });
    expect(endpoint).toEqual({ source: 'DOCKER_HOST', address: plainHost });
    expect(engine).toMatchObject({ version: 'fake-1.0', apiVersion: '1.47', engineApiVersion: '1.52', engineMinApiVersion: '1.44' });
    requested.length = 0;
    await docker.ping();
    expect(requested).toEqual(['/v1.47/_ping']);
  });

  it('verifies the engine with DOCKER_TLS_VERIFY and presents the client certificate from DOCKER_CERT_PATH', async () => {
    const { docker, engine } = await connectDocker({ env: { DOCKER_HOST: tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs } });
    expect(engine.apiVersion).toBe('1.43');
    requested.length = 0;
    await docker.ping();
    expect(requested).toEqual(['/v1.43/_ping']);
  });

  it('refuses an engine whose certificate is not signed by ca.pem, and says what to check', async () => {
    const noCa = join(dir, 'no-ca');
    mkdirSync(noCa, { recursive: true });
    copyFileSync(join(certs, 'cert.pem'), join(noCa, 'cert.pem'));
    copyFileSync(join(certs, 'key.pem'), join(noCa, 'key.pem'));
    const attempt = connectDocker({ env: { DOCKER_HOST: tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: noCa } });
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentError);
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringMatching(new RegExp(`^no Docker engine answered at ${tlsHost} \\(TLS: [A-Z_]+\\)$`)) as unknown,
      advice: expect.stringContaining('check ca.pem in DOCKER_CERT_PATH') as unknown,
    });
    // Without verification (DOCKER_TLS, as in the docker CLI) the same certificates connect.
    const { engine } = await connectDocker({ env: { DOCKER_HOST: tlsHost, DOCKER_TLS: '1', DOCKER_CERT_PATH: noCa } });
    expect(engine.apiVersion).toBe('1.43');
  });

  it('says which half of a client certificate is missing', async () => {
    const halfDir = join(dir, 'half');
    mkdirSync(halfDir, { recursive: true });
    copyFileSync(join(certs, 'cert.pem'), join(halfDir, 'cert.pem'));
    await expect(connectDocker({ env: { DOCKER_HOST: tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: halfDir } })).rejects.toThrow(
      `cannot read ${halfDir}/key.pem (TLS client certificate for DOCKER_HOST=${tlsHost})`,
    );
  });

  it('uses a Docker context\'s endpoint and TLS files', async () => {
    const configDir = join(dir, 'docker-config');
    const hash = contextDirName('remote-tls');
    mkdirSync(join(configDir, 'contexts', 'meta', hash), { recursive: true });
    mkdirSync(join(configDir, 'contexts', 'tls', hash, 'docker'), { recursive: true });
    const meta = { Name: 'remote-tls', Metadata: {}, Endpoints: { docker: { Host: tlsHost, SkipTLSVerify: false } } };
    writeFileSync(join(configDir, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify(meta));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(join(certs, file), join(configDir, 'contexts', 'tls', hash, 'docker', file));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'remote-tls' }));
    const { endpoint, engine } = await connectDocker({ env: { DOCKER_CONFIG: configDir } });
    expect(endpoint).toEqual({ source: 'context', context: 'remote-tls', address: tlsHost });
    expect(engine.apiVersion).toBe('1.43');
  });
});
