// `<runDir>/request.json`: how a run was started, so `jobsim rerun` can start it again with changes.
// Secrets are stored by name only: their values never reach the disk.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRequest } from '../../shared/api.js';
import type { PoolRules } from '../../shared/plan.js';
import { runDir } from './paths.js';

export const REQUEST_FILE = 'request.json';

/** The run's request, with its secrets by name only, plus the engine options that are not secret. */
export interface StoredRunRequest extends Omit<RunRequest, 'secrets'> {
  /** Names of the `--secret` variables; never their values. */
  secretNames?: string[];
  secretsFile?: string;
  registryMirror?: string;
  dockerConfigDir?: string;
  /** The worker pool's rules (not secret), so a rerun applies the same ones even if a pools file changed. */
  pool?: PoolRules;
}

/** What `writeRunRequest` needs: a run's options, secrets included (only their names are written). */
export interface RunRequestInput extends Omit<StoredRunRequest, 'secretNames' | 'registryMirror' | 'dockerConfigDir' | 'pool'> {
  secrets?: Record<string, string>;
  engineOptions?: { registryMirror?: string; dockerConfigDir?: string; pool?: PoolRules };
}

export function storedRequest(input: RunRequestInput): StoredRunRequest {
  const { secrets, engineOptions, ...plain } = input;
  const stored: StoredRunRequest = { ...plain };
  const secretNames = Object.keys(secrets ?? {});
  if (secretNames.length > 0) stored.secretNames = secretNames;
  if (engineOptions?.registryMirror) stored.registryMirror = engineOptions.registryMirror;
  if (engineOptions?.dockerConfigDir) stored.dockerConfigDir = engineOptions.dockerConfigDir;
  if (engineOptions?.pool) stored.pool = engineOptions.pool;
  // JSON drops undefined fields; this keeps the object equal to what a later read returns.
  return JSON.parse(JSON.stringify(stored)) as StoredRunRequest;
}

/** Writes request.json into the run's folder (which must exist). */
export async function writeRunRequest(dir: string, input: RunRequestInput): Promise<void> {
  await writeFile(join(dir, REQUEST_FILE), `${JSON.stringify(storedRequest(input), null, 2)}\n`);
}

/** The stored request of a run; undefined for runs stored before request.json existed (or unreadable). */
export async function readRunRequest(runId: string, env: NodeJS.ProcessEnv = process.env): Promise<StoredRunRequest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(runDir(runId, env), REQUEST_FILE), 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as StoredRunRequest).projectDir !== 'string') return undefined;
    return parsed as StoredRunRequest;
  } catch {
    return undefined;
  }
}
