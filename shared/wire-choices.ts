// Wire checks for the pipeline choice and the server choice that startRun and openProject carry. They
// check shape and type with messages that name the field; the parser then checks the values themselves
// (a valid ref name, a URL, a project path) and answers with its own messages.

import { PIPELINE_SOURCES, type PipelineChoice, type PipelineSource } from './plan.js';
import type { ServerChoice } from './server-choice.js';
import { WireError } from './wire-error.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each known key, when present, must be a non-empty string of at most 255 (GitLab's ref limit) or `max` characters. */
function stringFields<K extends string>(value: unknown, name: string, keys: readonly K[], max = 255): Partial<Record<K, string>> {
  if (!isRecord(value)) throw new WireError(`${name} must be an object with ${keys.join(', ')}`);
  const out: Partial<Record<K, string>> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!(keys as readonly string[]).includes(key)) throw new WireError(`${name} has unknown key "${key.slice(0, 40)}" (allowed: ${keys.join(', ')})`);
    if (entry === undefined || entry === null) continue;
    if (typeof entry !== 'string') throw new WireError(`${name}.${key} must be a string`);
    if (entry.trim() === '') throw new WireError(`${name}.${key} must not be empty`);
    if (entry.length > max) throw new WireError(`${name}.${key} is longer than ${max} characters`);
    out[key as K] = entry;
  }
  return out;
}

const PIPELINE_KEYS = ['ref', 'tag', 'source', 'mrTarget'] as const;

export function pipelineChoice(value: unknown): PipelineChoice | undefined {
  if (value === undefined || value === null) return undefined;
  const fields = stringFields(value, 'pipeline', PIPELINE_KEYS);
  if (fields.source !== undefined && !(PIPELINE_SOURCES as readonly string[]).includes(fields.source)) {
    throw new WireError(`pipeline.source must be one of ${PIPELINE_SOURCES.join(', ')}`);
  }
  if (fields.ref !== undefined && fields.tag !== undefined) throw new WireError('pipeline: give ref or tag, not both');
  return {
    ...(fields.ref !== undefined ? { ref: fields.ref } : {}),
    ...(fields.tag !== undefined ? { tag: fields.tag } : {}),
    ...(fields.source !== undefined ? { source: fields.source as PipelineSource } : {}),
    ...(fields.mrTarget !== undefined ? { mrTarget: fields.mrTarget } : {}),
  };
}

const SERVER_KEYS = ['serverUrl', 'projectPath', 'defaultBranch', 'registry'] as const;

export function serverChoice(value: unknown): ServerChoice | undefined {
  if (value === undefined || value === null) return undefined;
  return stringFields(value, 'server', SERVER_KEYS, 2048);
}
