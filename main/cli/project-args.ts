// Options shared by the commands that read a project's CI file (list, plan).

import { resolve } from 'node:path';
import { PIPELINE_SOURCES, type PipelineChoice, type PipelineSource } from '../../shared/plan.js';
import { parseImageRef } from '../../shared/image-ref.js';
import type { IncludeOptions } from '../parse/include-settings.js';
import { UsageError } from './errors.js';

export const projectOptions = {
  file: { type: 'string', short: 'f' },
  directory: { type: 'string', short: 'C' },
  'runner-config': { type: 'string' },
  'default-image': { type: 'string' },
  json: { type: 'boolean', default: false },
  'project-dir': { type: 'string', multiple: true },
  'gitlab-token': { type: 'string' },
} as const;

/** `--project-dir group/name=PATH` (repeatable) and `--gitlab-token` → how includes are read. */
export function includeOptionsFrom(values: { 'project-dir'?: string[]; 'gitlab-token'?: string }): IncludeOptions {
  const projectDirs: Record<string, string> = {};
  for (const pair of values['project-dir'] ?? []) {
    const eq = pair.indexOf('=');
    const project = eq > 0 ? pair.slice(0, eq).replace(/^\/+|\/+$/g, '') : '';
    if (!project.includes('/') || eq === pair.length - 1) throw new UsageError('--project-dir expects group/name=PATH (the project as include:project names it, then a local folder)');
    projectDirs[project] = resolve(process.cwd(), pair.slice(eq + 1));
  }
  return { projectDirs, ...(values['gitlab-token'] ? { gitlabToken: values['gitlab-token'] } : {}) };
}

/** The pipeline to simulate: `--ref BRANCH`, `--tag NAME`, `--source push|merge_request_event|…`, `--mr-target BRANCH`, `--compare-to REF`. */
export const pipelineOptions = {
  ref: { type: 'string' },
  tag: { type: 'string' },
  source: { type: 'string' },
  'mr-target': { type: 'string' },
  'compare-to': { type: 'string' },
} as const;

export function pipelineChoiceFrom(values: { ref?: string; tag?: string; source?: string; 'mr-target'?: string; 'compare-to'?: string }): PipelineChoice {
  const source = values.source;
  if (source !== undefined && !(PIPELINE_SOURCES as readonly string[]).includes(source)) {
    throw new UsageError(`--source expects one of ${PIPELINE_SOURCES.join(', ')}, got "${source.slice(0, 40)}"`);
  }
  return {
    ...(values.ref !== undefined ? { ref: values.ref } : {}),
    ...(values.tag !== undefined ? { tag: values.tag } : {}),
    ...(source !== undefined ? { source: source as PipelineSource } : {}),
    ...(values['mr-target'] !== undefined ? { mrTarget: values['mr-target'] } : {}),
    ...(values['compare-to'] !== undefined ? { compareTo: values['compare-to'] } : {}),
  };
}

export const variableOptions = {
  var: { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  'secrets-file': { type: 'string' },
} as const;

/** `K=V` pairs from repeated --var / --secret. The value is never echoed in errors (it may be secret). */
export function keyValues(pairs: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`--${flag} expects KEY=value with a valid variable name`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/** `--default-image REF`, checked before anything is read. */
export function defaultImageFrom(value: string | undefined): { defaultImage?: string } {
  if (value === undefined) return {};
  try {
    parseImageRef(value);
  } catch (error) {
    throw new UsageError(`--default-image: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { defaultImage: value };
}

export function projectDirFrom(directory: string | undefined): string {
  return resolve(process.cwd(), directory ?? '.');
}
