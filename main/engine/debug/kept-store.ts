// The record of every failed job kept for debugging: one JSON file per job in `<dataDir>/kept/`. The
// reaper spares the objects of a job with an unexpired record; an expired one (idle past its timeout)
// is released: its containers, services, network, volumes, committed image, then the record.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEPT_IDLE_MS, type KeptJob } from '../../../shared/debug.js';
import { isRunId } from '../../../shared/wire.js';
import type { DockerHandle } from '../../docker/client.js';
import { jobObjects, keptImages, removeImage, removeObjects } from '../../docker/kept-containers.js';
import { InputError } from '../../errors.js';
import { dataDir } from '../../history/paths.js';

export interface KeptRecord extends KeptJob {
  /** The image committed from the failed build container (id, else `repo:tag`). */
  image: string;
  /** Names of the run's masked variables: a shell masks their values (read from the container). */
  maskedVariables: string[];
}

/** The idle timeout: KEPT_IDLE_MS unless `JOBSIM_KEPT_IDLE_MS` says otherwise (tests use a short one). */
export function keptIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.JOBSIM_KEPT_IDLE_MS;
  const ms = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : KEPT_IDLE_MS;
}

export function keptDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'kept');
}

function recordFile(runId: string, job: string, env: NodeJS.ProcessEnv): string {
  if (!isRunId(runId)) throw new InputError(`not a run id: ${JSON.stringify(runId)}`);
  // Job names may hold any character: a hash keeps the file name safe and unique.
  return join(keptDir(env), `${runId}--${createHash('sha256').update(job).digest('hex').slice(0, 16)}.json`);
}

export async function writeKeptJob(record: KeptRecord, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = recordFile(record.runId, record.job, env);
  await mkdir(keptDir(env), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
}

export async function readKeptJob(runId: string, job: string, env: NodeJS.ProcessEnv = process.env): Promise<KeptRecord | undefined> {
  if (!isRunId(runId)) return undefined;
  try {
    const record = JSON.parse(await readFile(recordFile(runId, job, env), 'utf8')) as KeptRecord;
    return record.runId === runId && record.job === job ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Every kept job, newest first. */
export async function listKeptJobs(env: NodeJS.ProcessEnv = process.env): Promise<KeptRecord[]> {
  let names: string[];
  try {
    names = await readdir(keptDir(env));
  } catch {
    return [];
  }
  const records = await Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .map(async (name) => {
        try {
          return JSON.parse(await readFile(join(keptDir(env), name), 'utf8')) as KeptRecord;
        } catch {
          return undefined; // half-written or foreign file
        }
      }),
  );
  return records.filter((r): r is KeptRecord => r !== undefined && typeof r.runId === 'string' && typeof r.job === 'string').sort((a, b) => b.keptAt - a.keptAt);
}

/** Past its idle timeout (the shorter of the stored one and the current `JOBSIM_KEPT_IDLE_MS`). */
export function isKeptExpired(record: KeptJob, now: number = Date.now(), env: NodeJS.ProcessEnv = process.env): boolean {
  return now >= Math.min(record.expiresAt, record.lastUsedAt + keptIdleMs(env));
}

/** A shell used the job: the idle timeout starts again. */
export async function touchKeptJob(runId: string, job: string, env: NodeJS.ProcessEnv = process.env): Promise<KeptRecord | undefined> {
  const record = await readKeptJob(runId, job, env);
  if (!record) return undefined;
  const now = Date.now();
  const touched = { ...record, lastUsedAt: now, expiresAt: now + keptIdleMs(env) };
  await writeKeptJob(touched, env);
  return touched;
}

/**
 * Removes everything of a kept job: every non-persistent object labelled with its run id and job
 * (kept container, services, network, builds and cache overlay volumes), the committed image, the record.
 */
export async function releaseKeptJob(docker: DockerHandle, runId: string, job: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const record = await readKeptJob(runId, job, env);
  const objects = await jobObjects(docker, runId, job);
  const images = await keptImages(docker, runId, job);
  if (!record && objects.length === 0 && images.length === 0) {
    throw new InputError(`job "${job}" of run ${runId} is not kept: \`jobsim kept\` lists the kept jobs`);
  }
  const failed = await removeObjects(docker, objects);
  for (const image of new Set([...(record ? [record.image] : []), ...images.map((i) => i.id)])) await removeImage(docker, image);
  if (failed.length > 0) {
    throw new Error(`could not remove ${failed.map((o) => `${o.kind} ${o.name}`).join(', ')} of kept job "${job}" (run ${runId}); try again, or \`jobsim gc\``);
  }
  await rm(recordFile(runId, job, env), { force: true });
}

/** Releases every kept job past its idle timeout; returns those released. Never throws. */
export async function releaseExpiredKept(docker: DockerHandle, env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): Promise<KeptRecord[]> {
  const released: KeptRecord[] = [];
  for (const record of await listKeptJobs(env)) {
    if (!isKeptExpired(record, now, env)) continue;
    try {
      await releaseKeptJob(docker, record.runId, record.job, env);
      released.push(record);
    } catch {
      // Left for the next reaper pass.
    }
  }
  return released;
}
