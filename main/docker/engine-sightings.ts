// The engines jobsim can see besides the one it uses, for `jobsim doctor`: every Docker context, the
// default socket, Podman's sockets. Each is asked GET /version briefly; none is ever chosen from here.

import { existsSync } from 'node:fs';
import type { EngineSighting } from '../../shared/api.js';
import { EnvironmentError } from '../errors.js';
import { connectTo } from './client.js';
import { contextEndpoint, contextNames, DEFAULT_DOCKER_HOST, EndpointError, parseHost, podmanSockets, type DockerEndpoint, type EndpointInputs } from './endpoint.js';

const SIGHTING_TIMEOUT_MS = 2000;

type Candidate = { found: EngineSighting['found']; context?: string } & ({ endpoint: DockerEndpoint } | { error: string; address: string });

function candidates(inputs: EndpointInputs): Candidate[] {
  const list: Candidate[] = [];
  for (const name of contextNames(inputs)) {
    try {
      list.push({ found: 'context', context: name, endpoint: contextEndpoint(name, inputs) });
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      list.push({ found: 'context', context: name, error: error.message, address: error.endpoint.address });
    }
  }
  if (inputs.platform !== 'win32') list.push({ found: 'default', endpoint: parseHost(DEFAULT_DOCKER_HOST, { source: 'default' }) });
  for (const socket of podmanSockets(inputs)) {
    if (existsSync(socket)) list.push({ found: 'podman', endpoint: parseHost(`unix://${socket}`, { source: 'podman' }) });
  }
  return list;
}

async function sight(candidate: Candidate, inputs: EndpointInputs): Promise<EngineSighting> {
  const base = { found: candidate.found, ...(candidate.context ? { context: candidate.context } : {}) };
  if ('error' in candidate) return { ...base, address: candidate.address, reachable: false, error: candidate.error };
  const address = candidate.endpoint.address;
  try {
    const { engine } = await connectTo(candidate.endpoint, inputs, SIGHTING_TIMEOUT_MS);
    return { ...base, address, reachable: true, kind: engine.kind, version: engine.version, apiVersion: engine.apiVersion, os: engine.os };
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return { ...base, address, reachable: false, error: error.message };
  }
}

/** Everything but `usedAddress`, each address once. */
export async function otherEngines(inputs: EndpointInputs, usedAddress: string): Promise<EngineSighting[]> {
  const seen = new Set([usedAddress]);
  const unique = candidates(inputs).filter((c) => {
    const address = 'endpoint' in c ? c.endpoint.address : c.address;
    if (seen.has(address) && c.found !== 'context') return false;
    seen.add(address);
    return true;
  });
  return Promise.all(unique.map((c) => sight(c, inputs)));
}

export function formatSighting(s: EngineSighting): string {
  const where = s.found === 'context' ? `context "${s.context ?? ''}"` : s.found === 'podman' ? 'Podman socket' : 'default socket';
  const state = s.reachable ? `${s.kind === 'podman' ? 'Podman' : 'Docker'} ${s.version ?? '?'}, API ${s.apiVersion ?? '?'}, ${s.os ?? '?'}` : `no answer — ${s.error ?? 'unknown error'}`;
  return `${s.address || '(no address)'} (${where}): ${state}`;
}
