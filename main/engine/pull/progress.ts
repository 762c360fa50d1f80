// Folds the engine's pull stream into per-layer and total progress, throttled, for `pull-progress` events.
// Only the download phase counts towards bytes: extraction re-reports the same bytes, and layers the engine
// already had ("Already exists") transfer nothing.

import type { PullStreamEvent } from '../../docker/images.js';

export interface LayerProgress {
  id: string;
  status: string;
  current: number;
  total: number;
}

export interface ProgressSnapshot {
  layers: LayerProgress[];
  current: number;
  total: number;
}

const DONE_DOWNLOADING = new Set(['Download complete', 'Verifying Checksum', 'Extracting', 'Pull complete']);

export class PullProgress {
  private readonly layers = new Map<string, LayerProgress>();
  private lastEmit = 0;
  private dirty = false;

  constructor(
    private readonly emit: (snapshot: ProgressSnapshot) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Feeds one stream event; emits when the interval has passed since the last emit. */
  add(event: PullStreamEvent): void {
    if (!event.id || !event.status || !this.isLayerEvent(event)) return;
    const layer = this.layers.get(event.id) ?? { id: event.id, status: event.status, current: 0, total: 0 };
    layer.status = event.status;
    const detail = event.progressDetail;
    if (event.status === 'Downloading' && detail) {
      if (typeof detail.total === 'number' && detail.total > 0) layer.total = detail.total;
      if (typeof detail.current === 'number') layer.current = detail.current;
    } else if (DONE_DOWNLOADING.has(event.status) && layer.total > 0) {
      layer.current = layer.total;
    }
    this.layers.set(event.id, layer);
    this.dirty = true;
    if (this.now() - this.lastEmit >= this.intervalMs) this.flush();
  }

  /** Emits the current state if anything changed since the last emit. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastEmit = this.now();
    this.emit(this.snapshot());
  }

  snapshot(): ProgressSnapshot {
    const layers = [...this.layers.values()].map((layer) => ({ ...layer }));
    return {
      layers,
      current: layers.reduce((sum, layer) => sum + layer.current, 0),
      total: layers.reduce((sum, layer) => sum + layer.total, 0),
    };
  }

  /** Bytes downloaded so far (layers that already existed count zero). */
  bytes(): number {
    return this.snapshot().current;
  }

  private isLayerEvent(event: PullStreamEvent): boolean {
    // The first and last lines ("Pulling from x", "Digest: …", "Status: …") name the tag, not a layer.
    return !/^Pulling from |^Digest: |^Status: /.test(event.status ?? '') && /^[0-9a-f]{12,64}$/.test(event.id ?? '');
  }
}
