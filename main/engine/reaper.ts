// Removes what crashed or killed jobsim processes left behind: every object labelled
// `dev.jobsim.managed=true` whose owner process (on this host) is gone. Persistent objects (cache volumes,
// runner volumes) are never touched, nor are the objects of a failed job kept for debugging until its
// idle timeout has passed (then it is released here). Runs at every start of a run and behind `jobsim gc`.

import { hostname } from 'node:os';
import type { DockerHandle } from '../docker/client.js';
import { listManagedObjects, removeManagedObject, type ManagedObject } from '../docker/managed-objects.js';
import { LABELS } from '../docker/resource-labels.js';
import { dataDir } from '../history/paths.js';
import { processOwnsObject } from '../process-owner.js';
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
  if (report.failed.length > 0) await retryFailed(docker, report);
  return report;
}

const RETRY_DELAYS_MS = [300, 1000, 2000];

/**
 * Another jobsim's reaper may be removing the same objects at the same moment (every run starts one): the
 * engine then answers "removal already in progress" for a container, or "active endpoints" for its network.
 * Both settle within a second or two, so the refused objects are tried again, in removal order.
 */
async function retryFailed(docker: DockerHandle, report: ReapReport): Promise<void> {
  for (const delay of RETRY_DELAYS_MS) {
    await new Promise((done) => setTimeout(done, delay));
    const stillFailing: ManagedObject[] = [];
    for (const object of report.failed) {
      if (await removeManagedObject(docker, object)) report.removed.push(object);
      else stillFailing.push(object);
    }
    report.failed = stillFailing;
    if (stillFailing.length === 0) return;
  }
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
