// The cache browser behind `jobsim cache …` and the UI: list caches (sizes come from each cache's
// meta.json, written at save time, so listing never walks a 1 GB tree), inspect one as a tree, read a small
// file from it, and clear caches. Reading a volume takes one short-lived container from an image that
// created a cache (no helper image).

import type { CacheClearRequest, CacheClearResult, CacheFileContent, CacheTreeNode, CacheVolumeInfo } from '../../../shared/cache-api.js';
import type { DockerHandle } from '../../docker/client.js';
import { runCacheShell, shQuote, type ShellMount } from '../../docker/cache-shell.js';
import { CACHE_LABELS, listCacheVolumes, removeVolume, type CacheVolume } from '../../docker/cache-volumes.js';
import { jobLabels } from '../../docker/resource-labels.js';
import { InputError } from '../../errors.js';
import { parseMeta, type CacheMeta } from './meta.js';
import { buildTree, parseTreeListing, treeScript } from './tree.js';

/** Owner labels, so the reaper removes a reading container left behind by a killed process. */
function browserLabels(): Record<string, string> {
  return { ...jobLabels('cache-browser', 'cache-browser', 'probe'), [CACHE_LABELS.role]: 'browser' };
}
const MOUNT = '/jobsim/v';
/** Metadata younger than this is served from memory. */
const FRESH_MS = 30_000;

interface KnownMeta {
  meta?: CacheMeta;
  readAt: number;
}

export interface CacheBrowser {
  /** Lists caches; metadata older than 30 s (or all, with `fresh`) is re-read first. */
  list(options?: { project?: string; fresh?: boolean }): Promise<CacheVolumeInfo[]>;
  /** Finds a cache by volume name, or by key (with the project when several projects use that key). */
  find(nameOrKey: string, project?: string): Promise<CacheVolume>;
  tree(volume: string, options?: { path?: string; depth?: number }): Promise<CacheTreeNode>;
  readFile(volume: string, path: string, maxBytes?: number): Promise<CacheFileContent>;
  clear(request: CacheClearRequest): Promise<CacheClearResult>;
}

async function imageFor(docker: DockerHandle, volumes: CacheVolume[]): Promise<string> {
  const tried = new Set<string>();
  for (const volume of volumes) {
    if (!volume.imageId || tried.has(volume.imageId)) continue;
    tried.add(volume.imageId);
    try {
      await docker.getImage(volume.imageId).inspect();
      return volume.imageId;
    } catch {
      // removed since: try the next cache's image
    }
  }
  throw new InputError('cannot read the cache: the image that created it is gone (jobsim uses no helper image); run a job that uses this cache, or remove it');
}

function relativeInside(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw new InputError(`${path}: the path must stay inside the cache`);
  return parts.length === 0 ? '.' : parts.join('/');
}

export function createCacheBrowser(docker: DockerHandle): CacheBrowser {
  const known = new Map<string, KnownMeta>();

  async function readMetas(volumes: CacheVolume[]): Promise<void> {
    if (volumes.length === 0) return;
    const image = await imageFor(docker, volumes);
    const mounts: ShellMount[] = volumes.map((volume, index) => ({ type: 'volume', source: volume.name, target: `${MOUNT}${index}`, readOnly: true }));
    const script = volumes
      .map((_, index) => {
        const dir = `${MOUNT}${index}`;
        return [
          `printf 'USED ${index} '; cat ${dir}/last-used 2>/dev/null | head -c 20 | tr -d '\\n'; echo`,
          `printf 'META ${index} '; [ -s ${dir}/current ] && head -c 65536 "${dir}/gens/$(cat ${dir}/current)/meta.json" | tr -d '\\n'; echo`,
        ].join('\n');
      })
      .join('\n');
    const result = await runCacheShell(docker, { image, script, mounts, labels: browserLabels(), timeoutMs: 60_000 });
    const now = Date.now();
    const lastUsed = new Map<string, number>();
    for (const line of result.stdout.split('\n')) {
      const [word, index, value] = line.split(' ');
      const volume = volumes[Number(index)];
      if (!volume) continue;
      if (word === 'USED') lastUsed.set(volume.name, Number(value));
      if (word !== 'META') continue;
      const meta = parseMeta(line.split(' ').slice(2).join(' '));
      const used = lastUsed.get(volume.name);
      const merged = meta && used !== undefined && Number.isFinite(used) && used > 0 ? { ...meta, lastUsed: used } : meta;
      known.set(volume.name, { ...(merged ? { meta: merged } : {}), readAt: now });
    }
  }

  async function withVolume<T>(volume: CacheVolume, script: string, parse: (stdout: string) => T): Promise<T> {
    const image = await imageFor(docker, [volume]);
    const result = await runCacheShell(docker, {
      image,
      script,
      mounts: [{ type: 'volume', source: volume.name, target: MOUNT, readOnly: true }],
      labels: browserLabels(),
      timeoutMs: 120_000,
    });
    if (result.exitCode !== 0) throw new InputError(result.stderr.trim().split('\n').pop() ?? `reading ${volume.name} failed`);
    return parse(result.stdout);
  }

  const browser: CacheBrowser = {
    async list(options = {}) {
      const volumes = await listCacheVolumes(docker, options.project !== undefined ? { project: options.project } : {});
      const now = Date.now();
      const stale = volumes.filter((volume) => options.fresh || (known.get(volume.name)?.readAt ?? 0) < now - FRESH_MS);
      if (stale.length > 0) await readMetas(stale).catch(() => undefined);
      return volumes.map((volume): CacheVolumeInfo => {
        const meta = known.get(volume.name)?.meta;
        return {
          project: volume.project,
          key: volume.key,
          volume: volume.name,
          storage: 'volume',
          created: volume.created,
          empty: meta === undefined,
          ...(meta ? { sizeBytes: meta.sizeBytes, files: meta.files } : {}),
          ...(meta?.lastWriter ? { lastWriter: meta.lastWriter } : {}),
          ...(meta?.lastUsed !== undefined ? { lastUsed: meta.lastUsed } : {}),
        };
      });
    },

    async find(nameOrKey, project) {
      const volumes = await listCacheVolumes(docker, project !== undefined ? { project } : {});
      const byName = volumes.find((volume) => volume.name === nameOrKey);
      if (byName) return byName;
      const byKey = volumes.filter((volume) => volume.key === nameOrKey);
      if (byKey.length === 1 && byKey[0]) return byKey[0];
      if (byKey.length > 1) {
        throw new InputError(`cache key "${nameOrKey}" exists in several projects (${byKey.map((v) => v.project).join(', ')}): add --project, or give the volume name`);
      }
      throw new InputError(`no cache "${nameOrKey}"${project !== undefined ? ` in project ${project}` : ''}: \`jobsim cache ls\` lists them`);
    },

    async tree(name, options = {}) {
      const volume = await browser.find(name);
      const path = relativeInside(options.path ?? '.');
      const depth = Math.max(1, Math.min(options.depth ?? 3, 10));
      return withVolume(volume, treeScript(MOUNT, path, depth), (stdout) => {
        const listing = parseTreeListing(stdout);
        if (listing.missing) throw new InputError(`${path}: not in cache ${volume.key} (${volume.name})`);
        return buildTree(path, listing.entries);
      });
    },

    async readFile(name, path, maxBytes = 64 * 1024) {
      const volume = await browser.find(name);
      const relative = relativeInside(path);
      const limit = Math.max(1, Math.min(maxBytes, 1024 * 1024));
      const script = [
        `[ -s ${MOUNT}/current ] || { echo "cache ${volume.key} is empty" >&2; exit 3; }`,
        `cd ${MOUNT}/gens/$(cat ${MOUNT}/current)/tree || exit 3`,
        `f=${shQuote(relative)}`,
        // Never follow a link: a cache may hold links to anywhere.
        'p=""; for part in $(echo "$f" | tr "/" " "); do p="${p:+$p/}$part"; if [ -L "$p" ]; then echo "$f is (or is inside) a symbolic link; not followed" >&2; exit 4; fi; done',
        '[ -f "$f" ] || { echo "$f is not a regular file in the cache" >&2; exit 4; }',
        `stat -c %s "$f"; head -c ${limit} "$f"`,
      ].join('\n');
      return withVolume(volume, script, (stdout) => {
        const newline = stdout.indexOf('\n');
        const sizeBytes = Number(stdout.slice(0, newline));
        const text = stdout.slice(newline + 1);
        return { path: relative, sizeBytes, text, truncated: sizeBytes > limit };
      });
    },

    async clear(request) {
      const project = request.kind === 'project' || request.kind === 'older-than' ? request.project : undefined;
      const volumes = await listCacheVolumes(docker, project !== undefined ? { project } : {});
      let chosen: CacheVolume[];
      if (request.kind === 'volume') chosen = volumes.filter((volume) => volume.name === request.volume);
      else if (request.kind === 'older-than') {
        await readMetas(volumes.filter((volume) => !known.has(volume.name))).catch(() => undefined);
        const limit = Date.now() - request.days * 86_400_000;
        chosen = volumes.filter((volume) => (known.get(volume.name)?.meta?.lastUsed ?? volume.created) < limit);
      } else chosen = volumes;
      const result: CacheClearResult = { removed: [], failed: [] };
      for (const volume of chosen) {
        try {
          await removeVolume(docker, volume.name);
          known.delete(volume.name);
          result.removed.push(volume.name);
        } catch (error) {
          const reason = error instanceof Error ? (error.message.includes('in use') ? 'in use by a running job' : error.message.split('\n')[0] ?? '') : String(error);
          result.failed.push({ volume: volume.name, reason });
        }
      }
      return result;
    },
  };
  return browser;
}
