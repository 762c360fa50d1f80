// The mutable metadata of a cache (meta.json inside its store): Docker labels cannot change, this can.

import type { CacheWriter } from '../../../shared/cache-api.js';

export interface CacheMeta {
  version: 1;
  generation: string;
  sizeBytes: number;
  files: number;
  lastWriter?: CacheWriter;
  lastUsed?: number;
  /** The `cache:paths` the generation was saved with (the "unchanged" shortcut needs the same paths). */
  paths: string[];
}

const GENERATION = /^g-[a-z0-9-]{1,80}$/;

export function isGeneration(text: string): boolean {
  return GENERATION.test(text);
}

export function newGeneration(now: number): string {
  return `g-${now.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseWriter(value: unknown): CacheWriter | undefined {
  if (!isRecord(value)) return undefined;
  const { runId, job, time } = value;
  if (typeof runId !== 'string' || typeof job !== 'string' || typeof time !== 'number') return undefined;
  return { runId, job, time };
}

/** Parses meta.json text; anything malformed (a cache written by something else) gives undefined. */
export function parseMeta(text: string): CacheMeta | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || typeof raw.generation !== 'string' || !isGeneration(raw.generation)) return undefined;
  const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  const lastWriter = parseWriter(raw.lastWriter);
  return {
    version: 1,
    generation: raw.generation,
    sizeBytes: number(raw.sizeBytes),
    files: number(raw.files),
    ...(lastWriter ? { lastWriter } : {}),
    ...(typeof raw.lastUsed === 'number' ? { lastUsed: raw.lastUsed } : {}),
    paths: Array.isArray(raw.paths) ? raw.paths.filter((p): p is string => typeof p === 'string') : [],
  };
}

/** The meta.json text up to (not including) the fields the save script fills in and the closing brace. */
export function metaHead(writer: CacheWriter, paths: string[]): string {
  return JSON.stringify({ version: 1, lastWriter: writer, lastUsed: writer.time, paths }).slice(0, -1);
}

export function serialiseMeta(meta: CacheMeta): string {
  return JSON.stringify(meta);
}
