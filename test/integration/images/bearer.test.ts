// The registry client's Bearer token flow, against a small in-process registry on loopback (the rig's
// registries use Basic auth only): challenge → token with Basic credentials → manifest; digest from the
// header, or hashed from the body when a registry leaves the header out on HEAD.

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchManifestDigest, MANIFEST_MEDIA_TYPES, RegistryError } from '../../../main/docker/registry.js';

const USER = 'bearer-user';
const PASSWORD = 'bearer-password-not-to-leak';
const TOKEN = 'token-value-not-to-leak';
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPES[2], config: {}, layers: [] });
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;

let server: Server;
let registry: string;
const seen: { accept?: string; tokenQuery?: string }[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', `http://${registry}`);
  if (url.pathname === '/token') {
    seen.push({ tokenQuery: url.search });
    if (request.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
    return;
  }
  const match = /^\/v2\/(team\/app|nohead\/app)\/manifests\/(\w+)$/.exec(url.pathname);
  if (!match) {
    response.writeHead(404).end();
    return;
  }
  seen.push({ accept: request.headers.accept });
  if (request.headers.authorization !== `Bearer ${TOKEN}`) {
    response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${registry}/token",service="test-registry",scope="repository:${match[1]}:pull"` }).end();
    return;
  }
  if (match[2] !== '1') {
    response.writeHead(404).end();
    return;
  }
  const headers: Record<string, string> = { 'content-type': MANIFEST_MEDIA_TYPES[2] };
  if (match[1] === 'team/app') headers['docker-content-digest'] = DIGEST;
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : MANIFEST);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const auth = (): { username: string; password: string; serveraddress: string } => ({ username: USER, password: PASSWORD, serveraddress: registry });

describe('Bearer token flow', () => {
  it('gets a token with Basic credentials and reads the digest header', async () => {
    const info = await fetchManifestDigest(registry, 'team/app', '1', { auth: auth() });
    expect(info).toMatchObject({ digest: DIGEST, mediaType: MANIFEST_MEDIA_TYPES[2] });
    expect(seen.some((entry) => entry.tokenQuery?.includes('scope=repository%3Ateam%2Fapp%3Apull'))).toBe(true);
    expect(seen.find((entry) => entry.accept)?.accept).toContain('application/vnd.oci.image.index.v1+json');
  });

  it('hashes the manifest body when HEAD has no digest header', async () => {
    expect((await fetchManifestDigest(registry, 'nohead/app', '1', { auth: auth() })).digest).toBe(DIGEST);
  });

  it('reports refused credentials without the password or the token', async () => {
    const error = await fetchManifestDigest(registry, 'team/app', '1', { auth: { ...auth(), password: 'wrong-one' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).kind).toBe('auth');
    const text = `${(error as Error).message} ${(error as Error).stack ?? ''}`;
    for (const secret of ['wrong-one', PASSWORD, TOKEN]) expect(text).not.toContain(secret);
  });

  it('reports a missing tag behind auth as not found', async () => {
    const error = await fetchManifestDigest(registry, 'team/app', '2', { auth: auth() }).catch((caught: unknown) => caught);
    expect((error as RegistryError).kind).toBe('not-found');
  });
});
