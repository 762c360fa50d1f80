// Docker objects of the cache: persistent cache volumes (one per project and key), the temporary overlay
// volumes that give a job a copy-on-write view of a cache, and the short-lived containers (from the job's
// own image) that read and write cache contents. Mutable metadata lives in the volume (see docs/cache.md):
// Docker labels cannot change after creation.

import { createHash } from 'node:crypto';
import type { DockerHandle } from './client.js';

export const CACHE_LABELS = {
  managed: 'dev.jobsim.managed',
  persist: 'dev.jobsim.persist',
  kind: 'dev.jobsim.kind',
  project: 'dev.jobsim.cache.project',
  key: 'dev.jobsim.cache.key',
  /** Image that created the volume: the browser reuses it to read the volume (no helper image). */
  image: 'dev.jobsim.cache.image',
  createdAt: 'dev.jobsim.cache.created-at',
  /** On overlay volumes: the cache volume and generation they read from (old generations in use are kept). */
  source: 'dev.jobsim.cache.source',
  generation: 'dev.jobsim.cache.generation',
  role: 'dev.jobsim.cache.role',
} as const;

/** Where a cache lives: a named volume, or a host folder when the runner sets `cache_dir`. */
export type CacheStore = { kind: 'volume'; name: string } | { kind: 'host-folder'; path: string };

export interface CacheVolume {
  name: string;
  project: string;
  key: string;
  imageId?: string;
  /** Path of the volume's data on the daemon's host (used as an overlay lower dir). */
  mountpoint: string;
  created: number;
}

function slug(text: string, max: number): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return cleaned.slice(0, max) || 'x';
}

/**
 * `jobsim-cache-<project>-<key>-<hash>`: recognisable, and unique per (project, key) even after slugging.
 * `shownKey` is the key with secrets masked: the hash tells keys apart, the name never carries a secret.
 */
export function cacheVolumeName(project: string, key: string, shownKey = key): string {
  const hash = createHash('sha256').update(`${project}\0${key}`).digest('hex').slice(0, 10);
  return `jobsim-cache-${slug(project, 60)}-${slug(shownKey, 60)}-${hash}`;
}

/** Sub-folder of `cache_dir` for one cache; same naming as the volumes. */
export function cacheFolderName(project: string, key: string, shownKey = key): string {
  return cacheVolumeName(project, key, shownKey);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 404;
}

function toCacheVolume(info: { Name: string; Labels: Record<string, string> | null; Mountpoint: string; CreatedAt?: string }): CacheVolume {
  const labels = info.Labels ?? {};
  const createdLabel = Number(labels[CACHE_LABELS.createdAt]);
  const created = Number.isFinite(createdLabel) && createdLabel > 0 ? createdLabel : Date.parse(info.CreatedAt ?? '') || 0;
  return {
    name: info.Name,
    project: labels[CACHE_LABELS.project] ?? '',
    key: labels[CACHE_LABELS.key] ?? '',
    ...(labels[CACHE_LABELS.image] ? { imageId: labels[CACHE_LABELS.image] } : {}),
    mountpoint: info.Mountpoint,
    created,
  };
}

export async function inspectCacheVolume(docker: DockerHandle, name: string): Promise<CacheVolume | undefined> {
  try {
    const info = (await docker.getVolume(name).inspect()) as { Name: string; Labels: Record<string, string> | null; Mountpoint: string; CreatedAt?: string };
    if (info.Labels?.[CACHE_LABELS.kind] !== 'cache') return undefined;
    return toCacheVolume(info);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Returns the cache volume of (project, key), creating it (empty) when missing. Safe to race: create is idempotent. */
export async function ensureCacheVolume(
  docker: DockerHandle,
  spec: { project: string; key: string; shownKey?: string; imageId: string; extraLabels?: Record<string, string> },
): Promise<{ volume: CacheVolume; created: boolean }> {
  const name = cacheVolumeName(spec.project, spec.key, spec.shownKey);
  const existing = await inspectCacheVolume(docker, name);
  if (existing) return { volume: existing, created: false };
  // dockerode resolves createVolume with a Volume handle, not the daemon's answer: inspect afterwards.
  await docker.createVolume({
    Name: name,
    Labels: {
      ...spec.extraLabels,
      [CACHE_LABELS.managed]: 'true',
      [CACHE_LABELS.persist]: 'true',
      [CACHE_LABELS.kind]: 'cache',
      [CACHE_LABELS.project]: spec.project,
      [CACHE_LABELS.key]: spec.shownKey ?? spec.key,
      [CACHE_LABELS.image]: spec.imageId,
      [CACHE_LABELS.createdAt]: String(Date.now()),
    },
  });
  const created = await inspectCacheVolume(docker, name);
  if (!created) throw new Error(`cache volume ${name} vanished right after it was created`);
  return { volume: created, created: true };
}

export async function listCacheVolumes(docker: DockerHandle, filter: { project?: string; extraLabel?: string } = {}): Promise<CacheVolume[]> {
  const labels = [`${CACHE_LABELS.kind}=cache`];
  if (filter.project !== undefined) labels.push(`${CACHE_LABELS.project}=${filter.project}`);
  if (filter.extraLabel !== undefined) labels.push(filter.extraLabel);
  const result = await docker.listVolumes({ filters: JSON.stringify({ label: labels }) });
  const volumes = (result.Volumes ?? []) as unknown as { Name: string; Labels: Record<string, string> | null; Mountpoint: string; CreatedAt?: string }[];
  return volumes.map(toCacheVolume).sort((a, b) => a.project.localeCompare(b.project) || a.key.localeCompare(b.key));
}

/** Removes a volume; a missing volume counts as removed. Throws when Docker refuses (e.g. in use). */
export async function removeVolume(docker: DockerHandle, name: string): Promise<void> {
  try {
    await docker.getVolume(name).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** A temporary plain volume (scratch space for overlay upper/work dirs). */
export async function createScratchVolume(docker: DockerHandle, name: string, labels: Record<string, string>): Promise<string> {
  await docker.createVolume({ Name: name, Labels: labels });
  return volumeMountpoint(docker, name);
}

export async function volumeMountpoint(docker: DockerHandle, name: string): Promise<string> {
  const info = (await docker.getVolume(name).inspect()) as { Mountpoint: string };
  return info.Mountpoint;
}

/**
 * A volume whose mount is an overlay: reads come from `lower` (a cache generation), writes go to `upper`.
 * Paths are on the daemon's host. The local driver mounts it when the first container starts.
 */
export async function createOverlayVolume(
  docker: DockerHandle,
  spec: { name: string; lower: string; upper: string; work: string; labels: Record<string, string> },
): Promise<void> {
  await docker.createVolume({
    Name: spec.name,
    Driver: 'local',
    DriverOpts: { type: 'overlay', device: 'overlay', o: `lowerdir=${spec.lower},upperdir=${spec.upper},workdir=${spec.work}` },
    Labels: spec.labels,
  });
}

/** Overlay volumes that currently read from a cache volume (their generations must not be deleted). */
export async function generationsInUse(docker: DockerHandle, cacheVolume: string): Promise<Set<string>> {
  const result = await docker.listVolumes({ filters: JSON.stringify({ label: [`${CACHE_LABELS.source}=${cacheVolume}`] }) });
  const used = new Set<string>();
  for (const volume of (result.Volumes ?? []) as unknown as { Labels: Record<string, string> | null }[]) {
    const generation = volume.Labels?.[CACHE_LABELS.generation];
    if (generation) used.add(generation);
  }
  return used;
}
