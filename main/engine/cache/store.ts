// Where the cache of one (project, key) lives: a named Docker volume, or a sub-folder of the runner's
// `cache_dir` on the host. Both are mounted the same way into the short-lived cache containers.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DockerHandle } from '../../docker/client.js';
import { cacheFolderName, cacheVolumeName, ensureCacheVolume, inspectCacheVolume } from '../../docker/cache-volumes.js';
import type { ShellMount } from '../../docker/cache-shell.js';
import type { Masker } from '../../../shared/masking.js';

export interface CacheStoreRef {
  key: string;
  /** Volume name or host folder: shown in events and used as the `source` label of overlays. */
  name: string;
  kind: 'volume' | 'host-folder';
  /** The store's data on the daemon's host, when it exists (overlay lower dirs are resolved there). */
  hostPath?: string;
  exists: boolean;
}

export interface StoreLocation {
  project: string;
  /** Masks secret values in keys: names and labels of stores outlive the run. */
  masker: Masker;
  /** Runner `cache_dir`: a host folder instead of volumes. */
  cacheDir?: string;
}

export async function lookUpStore(docker: DockerHandle, where: StoreLocation, key: string): Promise<CacheStoreRef> {
  if (where.cacheDir !== undefined) {
    const path = join(where.cacheDir, cacheFolderName(where.project, key, where.masker.mask(key)));
    return { key, name: path, kind: 'host-folder', hostPath: path, exists: existsSync(path) };
  }
  const name = cacheVolumeName(where.project, key, where.masker.mask(key));
  const volume = await inspectCacheVolume(docker, name);
  return { key, name, kind: 'volume', ...(volume ? { hostPath: volume.mountpoint } : {}), exists: volume !== undefined };
}

/** Creates the store if it is missing (saves go to the job's own key, even after a fallback restore). */
export async function ensureStore(docker: DockerHandle, where: StoreLocation, store: CacheStoreRef, imageId: string): Promise<CacheStoreRef> {
  if (store.exists) return store;
  if (store.kind === 'host-folder') {
    await mkdir(store.name, { recursive: true });
    return { ...store, exists: true };
  }
  const { volume } = await ensureCacheVolume(docker, { project: where.project, key: store.key, shownKey: where.masker.mask(store.key), imageId });
  return { ...store, hostPath: volume.mountpoint, exists: true };
}

export function storeMount(store: CacheStoreRef, target: string, readOnly: boolean): ShellMount {
  return { type: store.kind === 'volume' ? 'volume' : 'bind', source: store.name, target, readOnly };
}
