// The image-related `jobsim run` flags, turned into RunContext options: `--registry-mirror HOST[:PORT]`,
// `--docker-config DIR`, `--pool NAME`, `--pools FILE`. The run command parses its arguments and calls this.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import type { RunContext } from '../contracts.js';
import { loadPool } from './pool.js';

export interface ImageFlags {
  registryMirror?: string;
  dockerConfig?: string;
  pool?: string;
  pools?: string;
}

export type ImageRunOptions = Pick<RunContext['options'], 'registryMirror' | 'dockerConfigDir' | 'pool'>;

const HOST_PORT = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

/** Validates the flags and loads the pool; throws InputError naming the flag. */
export async function imageRunOptions(flags: ImageFlags): Promise<ImageRunOptions> {
  const options: ImageRunOptions = {};
  if (flags.registryMirror !== undefined) {
    // Accept `https://host/` as people paste it from daemon.json, but keep only host[:port].
    const mirror = flags.registryMirror.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
    if (!HOST_PORT.test(mirror)) throw new InputError(`--registry-mirror: "${flags.registryMirror}" is not a registry host (expected HOST or HOST:PORT)`);
    options.registryMirror = mirror;
  }
  if (flags.dockerConfig !== undefined) {
    const dir = resolve(flags.dockerConfig);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new InputError(`--docker-config: ${flags.dockerConfig} is not a directory (it should hold config.json)`);
    options.dockerConfigDir = dir;
  }
  if (flags.pools !== undefined && flags.pool === undefined) throw new InputError('--pools FILE needs --pool NAME to choose one of its pools');
  if (flags.pool !== undefined) options.pool = await loadPool(flags.pool, flags.pools);
  return options;
}
