// A small registry HTTP client (Distribution API v2) for `jobsim image check`: asks for the current digest
// of a tag without pulling. HEAD the manifest with every manifest media type in Accept; on 401 follow the
// challenge (Bearer: fetch a token from the realm, with Basic credentials when we have them; Basic: send
// them). Loopback registries are spoken to over http, like the engine does by default.
// Tokens, passwords and Authorization headers never appear in results or errors.

import { createHash } from 'node:crypto';
import { EnvironmentError } from '../errors.js';
import type { RegistryAuth } from './images.js';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
] as const;

export interface ManifestInfo {
  digest: string;
  mediaType?: string;
  /** The registry URL asked (no credentials in it). */
  url: string;
}

export type RegistryErrorKind = 'not-found' | 'auth' | 'unreachable' | 'other';

export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  constructor(message: string, kind: RegistryErrorKind) {
    super(message);
    this.name = 'RegistryError';
    this.kind = kind;
  }
}

/** `127.0.0.1:5000`, `localhost`, `[::1]:5000` → http; everything else https. */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? host);
  const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm="…"`). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) params[match[1]] = match[2];
  }
  return { scheme, params };
}

function basicHeader(auth: RegistryAuth): string | undefined {
  if (auth.username === undefined || auth.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

async function send(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: signal ?? AbortSignal.timeout(30_000), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new RegistryError(`cannot reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))})`, 'unreachable');
  }
}

async function bearerToken(params: Record<string, string>, auth: RegistryAuth | undefined, signal: AbortSignal | undefined): Promise<string> {
  const realm = params.realm;
  if (!realm) throw new RegistryError('the registry asked for a token but named no realm', 'other');
  const url = new URL(realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  let response: Response;
  if (auth?.identitytoken) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identitytoken, service: params.service ?? '', scope: params.scope ?? '', client_id: 'jobsim' });
    response = await send(realm, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, signal);
  } else {
    const basic = auth ? basicHeader(auth) : undefined;
    response = await send(url.toString(), { headers: basic ? { authorization: basic } : {} }, signal);
  }
  if (response.status === 401 || response.status === 403) throw new RegistryError(`the token service at ${url.host} refused the credentials (HTTP ${response.status})`, 'auth');
  if (!response.ok) throw new RegistryError(`the token service at ${url.host} answered HTTP ${response.status}`, 'other');
  const body = (await response.json()) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw new RegistryError(`the token service at ${url.host} returned no token`, 'other');
  return token;
}

/**
 * The digest the registry holds for `repository` at `reference` (a tag or a digest). `auth` is used only
 * when the registry asks for it.
 */
export async function fetchManifestDigest(
  registry: string,
  repository: string,
  reference: string,
  options: { auth?: RegistryAuth; signal?: AbortSignal } = {},
): Promise<ManifestInfo> {
  const url = `${registryBaseUrl(registry)}/v2/${repository}/manifests/${reference}`;
  const headers: Record<string, string> = { accept: MANIFEST_MEDIA_TYPES.join(', ') };
  let response = await send(url, { method: 'HEAD', headers }, options.signal);
  if (response.status === 401) {
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    if (challenge.scheme === 'bearer') {
      headers.authorization = `Bearer ${await bearerToken(challenge.params, options.auth, options.signal)}`;
    } else {
      const basic = options.auth ? basicHeader(options.auth) : undefined;
      if (!basic) throw new RegistryError(`${registry} requires credentials and none were found`, 'auth');
      headers.authorization = basic;
    }
    response = await send(url, { method: 'HEAD', headers }, options.signal);
  }
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError(options.auth ? `${registry} refused the credentials (HTTP ${response.status})` : `${registry} requires credentials and none were found (HTTP ${response.status})`, 'auth');
  }
  if (response.status === 404) throw new RegistryError(`${registry}/${repository}:${reference} not found (manifest unknown)`, 'not-found');
  if (!response.ok) throw new RegistryError(`${registry} answered HTTP ${response.status} for ${repository}:${reference}`, 'other');
  const mediaType = response.headers.get('content-type') ?? undefined;
  let digest = response.headers.get('docker-content-digest') ?? undefined;
  if (!digest) {
    // Some registries omit the header on HEAD: fetch the manifest and hash its exact bytes.
    const body = await send(url, { method: 'GET', headers }, options.signal);
    if (!body.ok) throw new RegistryError(`${registry} answered HTTP ${body.status} for ${repository}:${reference}`, 'other');
    digest = `sha256:${createHash('sha256').update(Buffer.from(await body.arrayBuffer())).digest('hex')}`;
  }
  return { digest, url, ...(mediaType ? { mediaType } : {}) };
}

/** Wraps RegistryError into what the CLI shows (message + advice). */
export function registryProblem(error: RegistryError): EnvironmentError {
  const advice: Record<RegistryErrorKind, string> = {
    'not-found': 'check the repository name and tag',
    auth: 'log in (`docker login`), set DOCKER_AUTH_CONFIG, or pass --docker-config DIR',
    unreachable: 'check the registry address and that it is running',
    other: 'the registry gave an unexpected answer',
  };
  return new EnvironmentError(error.message, advice[error.kind]);
}
