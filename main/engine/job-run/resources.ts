// The one record of the Docker objects a job made. Every object is named here and every `resource` event
// (created, kept, removed) is emitted here, so the isolation view and `jobsim gc` can trust the record.
// Cleanup removes exactly what was recorded (also after a failure, a timeout or a cancel).

import { createHash, randomBytes } from 'node:crypto';
import { HELPER_ROLE_PREFIX, type ResourceEvent } from '../../../shared/events.js';
import { removeContainer, removeNetwork, removeVolume } from '../../docker/job-objects.js';
import { nameSlug } from '../../docker/resource-labels.js';
import { runnerLine } from './job-log.js';
import type { RunContext } from '../contracts.js';

type Kind = ResourceEvent['kind'];
type Detail = ResourceEvent['detail'];

interface Tracked {
  kind: Kind;
  id: string;
  name: string;
  role: string;
}

/** Reports a short-lived object that the code creating it also removes (see `JobObjects.shortLived`). */
export interface ShortLivedObject {
  created(id: string): void;
  removed(removed: boolean): void;
}

/** `<run>-<job>`: the unique part of one job's object names (a hash keeps `Test` and `test` apart). */
export function jobSlug(runId: string, jobName: string): string {
  const runPart = nameSlug(runId, 24);
  const jobPart = `${nameSlug(jobName, 32)}-${createHash('sha256').update(jobName).digest('hex').slice(0, 6)}`;
  return `${runPart}-${jobPart}`;
}

const VOLUME_REMOVE_ATTEMPTS = 3;
const VOLUME_RETRY_MS = 300;

export class JobObjects {
  private readonly tracked: Tracked[] = [];
  /** `<run>-<job>`, also used for the committed image of a kept job. */
  readonly slug: string;

  constructor(private readonly run: RunContext, private readonly job: string) {
    this.slug = jobSlug(run.runId, job);
  }

  /**
   * The one naming rule for a job's objects: `jobsim-<run>-<job>-<role>`; `unique` adds a random suffix for
   * objects a job may have several of (service containers, cache volumes, probes).
   */
  name(role: string, options: { unique?: boolean } = {}): string {
    const suffix = options.unique ? `-${randomBytes(3).toString('hex')}` : '';
    return `jobsim-${this.slug}-${nameSlug(role, 48)}${suffix}`;
  }

  /** An object this job made and cleanup removes. */
  created(kind: Kind, id: string, name: string, role: string, detail?: Detail): void {
    this.tracked.push({ kind, id, name, role });
    this.emit(kind, 'created', id, name, role, detail);
  }

  /** An object that already existed or outlives the run (runner volumes): reported, never removed. */
  kept(kind: Kind, id: string, name: string, role: string): void {
    this.emit(kind, 'kept', id, name, role);
  }

  /** An object this job made that is meant to outlive the run (a new cache store volume). */
  createdPersistent(kind: Kind, id: string, name: string, role: string): void {
    this.emit(kind, 'created', id, name, role);
    this.emit(kind, 'kept', id, name, role);
  }

  /**
   * For a helper container that the Docker layer creates and removes within one call. Reported like the rest;
   * when the Docker layer could not remove it, cleanup tries again.
   */
  shortLived(kind: Kind, name: string, role: string): ShortLivedObject {
    let id: string | undefined;
    return {
      created: (createdId) => {
        id = createdId;
        this.emit(kind, 'created', createdId, name, role);
      },
      removed: (removed) => {
        if (id === undefined) return;
        if (removed) this.emit(kind, 'removed', id, name, role);
        else this.tracked.push({ kind, id, name, role });
      },
    };
  }

  /** Removes some recorded objects now (a partly started set of services, a failed cache restore). */
  async removeNow(ids: readonly string[]): Promise<void> {
    await this.remove(['container', 'network', 'volume'], (item) => ids.includes(item.id));
  }

  /** Containers first, then the networks and volumes they used. Never throws. */
  async removeAll(): Promise<void> {
    await this.remove(['container', 'network', 'volume'], () => true);
  }

  /**
   * A failed job kept for debugging: the exited containers (build, helpers) go; the services,
   * the idle kept container, the network and the volumes stay and are reported kept.
   */
  async removeExitedKeepRest(): Promise<void> {
    await this.remove(['container'], (item) => item.role === 'build' || item.role.startsWith(HELPER_ROLE_PREFIX));
    for (const item of this.tracked.splice(0)) this.kept(item.kind, item.id, item.name, item.role);
  }

  private emit(kind: Kind, action: ResourceEvent['action'], id: string, name: string, role: string, detail?: Detail): void {
    this.run.emit({ type: 'resource', job: this.job, kind, action, id, name, role, ...(detail ? { detail } : {}) });
  }

  private async remove(order: Kind[], selected: (item: Tracked) => boolean): Promise<void> {
    for (const kind of order) {
      const items = this.tracked.filter((t) => t.kind === kind && selected(t)).reverse();
      await Promise.all(
        items.map(async (item) => {
          if (await this.removeOne(item)) this.emit(kind, 'removed', item.id, item.name, item.role);
          else runnerLine(this.run, this.job, `WARNING: could not remove ${kind} ${item.name}; \`jobsim gc\` removes it once this jobsim has exited`);
        }),
      );
      for (const item of items) this.tracked.splice(this.tracked.indexOf(item), 1);
    }
  }

  private async removeOne(item: Tracked): Promise<boolean> {
    const docker = this.run.docker;
    if (item.kind === 'container') return removeContainer(docker, item.id);
    if (item.kind === 'network') return removeNetwork(docker, item.id);
    // A volume can still be in use for a moment by a container that is being removed: try again shortly.
    for (let attempt = 1; ; attempt += 1) {
      if (await removeVolume(docker, item.id)) return true;
      if (attempt === VOLUME_REMOVE_ATTEMPTS || this.run.killSignal?.aborted) return false;
      await new Promise((resolve) => setTimeout(resolve, VOLUME_RETRY_MS));
    }
  }
}
