import { describe, expect, it } from 'vitest';
import { PullProgress, type ProgressSnapshot } from '../../../main/engine/pull/progress.js';

const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';

describe('PullProgress', () => {
  it('tracks download bytes per layer and in total, ignoring layers that already exist', () => {
    const snapshots: ProgressSnapshot[] = [];
    let now = 0;
    const progress = new PullProgress((snapshot) => snapshots.push(snapshot), 100, () => now);
    progress.add({ status: 'Pulling from team/app', id: '1' });
    progress.add({ status: 'Already exists', id: A });
    progress.add({ status: 'Pulling fs layer', id: B });
    progress.add({ status: 'Downloading', id: B, progressDetail: { current: 100, total: 400 } });
    now = 150;
    progress.add({ status: 'Downloading', id: B, progressDetail: { current: 300, total: 400 } });
    progress.add({ status: 'Download complete', id: B });
    progress.add({ status: 'Extracting', id: B, progressDetail: { current: 50, total: 400 } });
    progress.add({ status: 'Pull complete', id: B });
    progress.add({ status: 'Digest: sha256:' + 'c'.repeat(64) });
    progress.flush();
    const last = snapshots.at(-1);
    expect(last?.layers).toEqual([
      { id: A, status: 'Already exists', current: 0, total: 0 },
      { id: B, status: 'Pull complete', current: 400, total: 400 },
    ]);
    expect(last?.total).toBe(400);
    expect(progress.bytes()).toBe(400);
  });

  it('throttles: at most one emit per interval, plus the final flush', () => {
    const snapshots: ProgressSnapshot[] = [];
    let now = 1000;
    const progress = new PullProgress((snapshot) => snapshots.push(snapshot), 250, () => now);
    for (let current = 0; current <= 1000; current += 10) {
      progress.add({ status: 'Downloading', id: A, progressDetail: { current, total: 1000 } });
      now += 1;
    }
    progress.flush();
    expect(snapshots.length).toBeLessThanOrEqual(3);
    expect(snapshots.at(-1)?.current).toBe(1000);
  });

  it('emits nothing when nothing changed', () => {
    const snapshots: ProgressSnapshot[] = [];
    const progress = new PullProgress((snapshot) => snapshots.push(snapshot));
    progress.flush();
    expect(snapshots).toEqual([]);
  });
});
