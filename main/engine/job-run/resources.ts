// The Docker objects one job created, so cleanup removes exactly those (and says so in `resource` events),
// also after a failure, a timeout or a cancel.

import type { ResourceEvent } from '../../../shared/events.js';
import { removeContainer, removeNetwork, removeVolume } from '../../docker/job-objects.js';
import type { RunContext } from '../contracts.js';

interface Tracked {
  kind: ResourceEvent['kind'];
  id: string;
  name: string;
  role: string;
}

export class JobResources {
  private readonly tracked: Tracked[] = [];

  constructor(private readonly run: RunContext, private readonly job: string) {}

  created(kind: ResourceEvent['kind'], id: string, name: string, role: string, detail?: ResourceEvent['detail']): void {
    this.tracked.push({ kind, id, name, role });
    this.run.emit({ type: 'resource', job: this.job, kind, action: 'created', id, name, role, ...(detail ? { detail } : {}) });
  }

  /** Persistent objects (runner volumes) are reported but never removed. */
  kept(kind: ResourceEvent['kind'], id: string, name: string, role: string): void {
    this.run.emit({ type: 'resource', job: this.job, kind, action: 'kept', id, name, role });
  }

  /** Containers first, then networks and volumes they used. Never throws. */
  async removeAll(): Promise<void> {
    await this.remove(['container', 'network', 'volume']);
  }

  /** A failed job kept for debugging: its exited containers go, the rest (network, volumes) is reported kept. */
  async removeContainersKeepRest(): Promise<void> {
    await this.remove(['container']);
    for (const item of this.tracked.splice(0)) this.kept(item.kind, item.id, item.name, item.role);
  }

  private async remove(order: ResourceEvent['kind'][]): Promise<void> {
    for (const kind of order) {
      const items = this.tracked.filter((t) => t.kind === kind).reverse();
      await Promise.all(
        items.map(async (item) => {
          const removed = kind === 'container' ? await removeContainer(this.run.docker, item.id) : kind === 'network' ? await removeNetwork(this.run.docker, item.id) : await removeVolume(this.run.docker, item.id);
          if (removed) this.run.emit({ type: 'resource', job: this.job, kind, action: 'removed', id: item.id, name: item.name, role: item.role });
          else this.run.emit({ type: 'log', job: this.job, source: 'runner', stream: 'stderr', text: `WARNING: could not remove ${kind} ${item.name}; \`jobsim gc\` removes it once this jobsim has exited` });
        }),
      );
      for (const item of items) this.tracked.splice(this.tracked.indexOf(item), 1);
    }
  }
}
