// Removes what crashed or killed jobsim processes left behind: every object labelled
// `dev.jobsim.managed=true` whose owner process (on this host) is gone. Persistent objects (cache volumes,
// runner volumes) are never touched, nor are the objects of a failed job kept for debugging until its
// idle timeout has passed (then it is released here). Runs at every start of a run and behind `jobsim gc`.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { DockerHandle } from '../docker/client.js';
import { listManagedObjects, removeManagedObject, type ManagedObject } from '../docker/managed-objects.js';
import { LABELS } from '../docker/resource-labels.js';
import { dataDir } from '../history/paths.js';
import { isKeptExpired, listKeptJobs, releaseExpiredKept } from './debug/kept-store.js';

export type KeepReason = 'persistent' | 'owner-running' | 'other-host' | 'no-owner-label' | 'kept-for-debug';

export interface ReapReport {
  removed: ManagedObject[];
  kept: { object: ManagedObject; why: KeepReason }[];
  /** Objects that should have gone but the engine refused (e.g. a volume still in use). */
  failed: ManagedObject[];
}

export interface ReapOptions {
  /** Only report what would be removed. */
  dryRun?: boolean;
  /** Defaults to this machine's hostname; objects made on other hosts are left alone (their PIDs mean nothing here). */
  host?: string;
  /** Whether a process is alive and was started no later than `createdAtMs`; injectable for tests. */
  ownerAlive?: (pid: number, createdAtMs: number | undefined) => boolean;
  /** Where the kept-job records are (JOBSIM_HOME); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

const REMOVAL_ORDER: Record<ManagedObject['kind'], number> = { container: 0, network: 1, volume: 2 };

export async function reapOrphans(docker: DockerHandle, options: ReapOptions = {}): Promise<ReapReport> {
  const host = options.host ?? hostname();
  const ownerAlive = options.ownerAlive ?? processOwnsObject;
  const env = options.env ?? process.env;
  const report: ReapReport = { removed: [], kept: [], failed: [] };
  if (!options.dryRun) await releaseExpiredKept(docker, env);
  const kept = new Set((await listKeptJobs(env)).filter((record) => !isKeptExpired(record, Date.now(), env)).map((record) => keptKey(record.runId, record.job)));
  const objects = await listManagedObjects(docker);
  objects.sort((a, b) => REMOVAL_ORDER[a.kind] - REMOVAL_ORDER[b.kind]);
  // A job kept by a jobsim with another data dir (another user, a test sandbox): only its own reaper can
  // tell whether it has expired.
  const ownHome = dataDir(env);
  for (const object of objects) {
    const home = object.labels[LABELS.keptHome];
    if (object.kind === 'container' && object.labels[LABELS.kept] === 'true' && home && home !== ownHome) kept.add(keyOf(object));
  }
  for (const object of objects) {
    const keptForDebug = kept.has(keyOf(object));
    const why = keepReason(object, host, ownerAlive) ?? (keptForDebug ? 'kept-for-debug' : undefined);
    if (why) {
      report.kept.push({ object, why });
      continue;
    }
    if (options.dryRun) report.removed.push(object);
    else if (await removeManagedObject(docker, object)) report.removed.push(object);
    else report.failed.push(object);
  }
  return report;
}

const keptKey = (runId: string, job: string): string => `${runId}\n${job}`;
const keyOf = (object: ManagedObject): string => keptKey(object.labels[LABELS.runId] ?? '', object.labels[LABELS.job] ?? '');

function keepReason(object: ManagedObject, host: string, ownerAlive: (pid: number, createdAtMs: number | undefined) => boolean): KeepReason | undefined {
  const labels = object.labels;
  if (labels[LABELS.persist] === 'true') return 'persistent';
  const pid = Number(labels[LABELS.ownerPid]);
  if (!Number.isInteger(pid) || pid <= 0 || !labels[LABELS.ownerHost]) return 'no-owner-label';
  if (labels[LABELS.ownerHost] !== host) return 'other-host';
  const createdAt = Date.parse(labels[LABELS.createdAt] ?? '');
  return ownerAlive(pid, Number.isNaN(createdAt) ? undefined : createdAt) ? 'owner-running' : undefined;
}

/**
 * Whether `pid` is a live process that can have created an object at `createdAtMs`. A PID reused by a
 * process started after the object was created does not count (Linux: start time from /proc).
 */
export function processOwnsObject(pid: number, createdAtMs: number | undefined): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startedAt = linuxProcessStartMs(pid);
  // Start times are in clock ticks; allow a second of slack for rounding.
  return startedAt === undefined || createdAtMs === undefined || startedAt <= createdAtMs + 1000;
}

function linuxProcessStartMs(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) follows the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const bootLine = readFileSync('/proc/stat', 'utf8').split('\n').find((line) => line.startsWith('btime '));
    const bootSeconds = Number(bootLine?.split(' ')[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return undefined;
    const CLOCK_TICKS_PER_SECOND = 100;
    return (bootSeconds + startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}
