// API version negotiation, as the docker CLI does it: use the highest version both sides speak.
// jobsim is written against API 1.41 semantics (Docker 20.10) and tested up to CLIENT_MAX_API_VERSION.

import type Docker from 'dockerode';
import { EnvironmentError } from '../errors.js';

/** The newest API version jobsim asks for; newer engines answer in this version's terms. */
export const CLIENT_MAX_API_VERSION = '1.47';
/** The oldest engine API jobsim can work with (Docker 19.03). */
export const CLIENT_MIN_API_VERSION = '1.40';

export interface EngineVersion {
  /** Engine release, e.g. 20.10.24. */
  version: string;
  /** The API version jobsim will use (negotiated). */
  apiVersion: string;
  /** The newest API version the engine speaks. */
  engineApiVersion: string;
  /** The oldest API version the engine accepts, when it says. */
  engineMinApiVersion?: string;
  /** e.g. linux/amd64 */
  os: string;
  kernel?: string;
  /** Podman answers the Docker API too; it says so in its version's components. */
  kind: 'docker' | 'podman';
}

function kindOf(answer: Docker.DockerVersion): EngineVersion['kind'] {
  const components = (answer as { Components?: { Name?: unknown }[] }).Components ?? [];
  const platform = (answer as { Platform?: { Name?: unknown } }).Platform?.Name;
  const names = [...components.map((c) => c.Name), platform].filter((n): n is string => typeof n === 'string');
  return names.some((n) => /podman/i.test(n)) ? 'podman' : 'docker';
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareApiVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

const isApiVersion = (value: unknown): value is string => typeof value === 'string' && /^\d+\.\d+$/.test(value);

export function negotiateApiVersion(answer: Docker.DockerVersion, address: string): EngineVersion {
  const engineApi = answer.ApiVersion;
  if (!isApiVersion(engineApi)) {
    throw new EnvironmentError(
      `the engine at ${address} answered GET /version without a usable ApiVersion (${JSON.stringify(engineApi)})`,
      'is this a Docker engine? check DOCKER_HOST / the Docker context',
    );
  }
  // Engines before API 1.25 do not send MinAPIVersion.
  const engineMin = isApiVersion(answer.MinAPIVersion) ? answer.MinAPIVersion : undefined;
  if (compareApiVersions(engineApi, CLIENT_MIN_API_VERSION) < 0) {
    throw new EnvironmentError(
      `the Docker engine at ${address} is too old (API ${engineApi}; jobsim needs ${CLIENT_MIN_API_VERSION} or newer)`,
      'upgrade Docker to 19.03 or newer',
    );
  }
  const apiVersion = compareApiVersions(engineApi, CLIENT_MAX_API_VERSION) < 0 ? engineApi : CLIENT_MAX_API_VERSION;
  if (engineMin && compareApiVersions(apiVersion, engineMin) < 0) {
    throw new EnvironmentError(
      `the Docker engine at ${address} no longer accepts API ${apiVersion} (its minimum is ${engineMin})`,
      'update jobsim, or use an older Docker engine',
    );
  }
  return {
    version: answer.Version,
    apiVersion,
    engineApiVersion: engineApi,
    ...(engineMin ? { engineMinApiVersion: engineMin } : {}),
    os: [answer.Os, answer.Arch].filter(Boolean).join('/'),
    ...(answer.KernelVersion ? { kernel: answer.KernelVersion } : {}),
    kind: kindOf(answer),
  };
}
