// Small job keywords: allow_failure, needs, dependencies, timeout.

import type { AllowFailure, NeedPlan } from '../../shared/plan.js';
import { parseDuration } from '../../shared/duration.js';
import { flattenItems, readBoolean, readString, readStringList } from './fields.js';
import type { Located, LocatedMap } from './located.js';
import { matrixJobName, readMatrix } from './parallel.js';
import type { Problems } from './problems.js';
import { unknownKeyMessage } from './suggestions.js';

export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;

/** `stage:`, or the deprecated `type:` when there is no `stage:` (GitLab's Entry::Job does the same). */
export function stageNodeOf(job: string, map: LocatedMap, problems: Problems): Located | undefined {
  const stage = map.entries.find((e) => e.key === 'stage');
  const type = map.entries.find((e) => e.key === 'type');
  if (type) {
    const note = stage ? 'it is ignored because the job also sets `stage`' : 'GitLab reads it as `stage`';
    problems.warn(`job "${job}": \`type\` is the deprecated name of \`stage\`; ${note}`, type.keyWhere);
  }
  return (stage ?? type)?.value;
}

/** `owner` starts every message: `job "test"` or `workflow`. */
export function readAllowFailure(node: Located, owner: string, problems: Problems): AllowFailure | undefined {
  if (node.kind === 'map') {
    const codes = node.entries.find((e) => e.key === 'exit_codes');
    for (const e of node.entries) {
      if (e.key !== 'exit_codes') problems.error(`${owner}: allow_failure has unknown key "${e.key}" (allowed: exit_codes)`, e.keyWhere);
    }
    if (!codes) return undefined;
    const items = codes.value.kind === 'seq' ? codes.value.items : [codes.value];
    const exitCodes: number[] = [];
    for (const item of items) {
      if (item.kind === 'scalar' && typeof item.value === 'number' && Number.isInteger(item.value) && item.value >= 0 && item.value <= 255) {
        exitCodes.push(item.value);
      } else problems.error(`${owner}: allow_failure:exit_codes should be exit codes (integers 0-255)`, item.where);
    }
    return { exitCodes };
  }
  return readBoolean(node, `${owner}: allow_failure`, problems);
}

export function readTimeout(node: Located, job: string, problems: Problems): number | undefined {
  const text = readString(node, `job "${job}": timeout`, problems);
  if (text === undefined) return undefined;
  let ms: number | undefined;
  try {
    ms = parseDuration(text) ?? undefined;
  } catch {
    ms = undefined;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    problems.error(`job "${job}": timeout "${text}" is not a duration (e.g. 90s, 5m, 1h 30m, 2 minutes)`, node.where);
    return undefined;
  }
  return ms;
}

/** A need as written, with where it was written (checked against the other jobs later). */
export interface WrittenNeed extends NeedPlan {
  where: Located['where'];
  /** `needs:parallel:matrix`: only these instances of a parallel job (by their names). */
  instances?: string[];
}

export function readNeeds(node: Located, job: string, problems: Problems): WrittenNeed[] | undefined {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'seq' && node.kind !== 'map') {
    problems.error(`job "${job}": needs should be a list of job names or {job, artifacts, optional}`, node.where);
    return undefined;
  }
  const needs: WrittenNeed[] = [];
  // GitLab's `[needs].flatten`: one mapping is one need, nested lists are spliced in.
  for (const item of node.kind === 'map' ? [node] : flattenItems(node)) {
    if (item.kind === 'map') {
      const keys = item.entries.map((e) => e.key);
      if (keys.includes('pipeline') || keys.includes('project')) {
        problems.warn(`job "${job}": needs on other pipelines or projects are not supported; ignored`, item.where);
        continue;
      }
      const need: WrittenNeed = { job: '', artifacts: true, optional: false, where: item.where };
      let parallelNode: Located | undefined;
      for (const e of item.entries) {
        if (e.key === 'job') need.job = readString(e.value, `job "${job}": needs:job`, problems) ?? '';
        else if (e.key === 'artifacts') need.artifacts = readBoolean(e.value, `job "${job}": needs:artifacts`, problems) ?? true;
        else if (e.key === 'optional') need.optional = readBoolean(e.value, `job "${job}": needs:optional`, problems) ?? false;
        else if (e.key === 'parallel') parallelNode = e.value;
        else problems.error(unknownKeyMessage(`job "${job}"`, 'needs', e.key, ['job', 'artifacts', 'optional', 'parallel']), e.keyWhere);
      }
      if (parallelNode && need.job) {
        const instances = readNeedInstances(need.job, parallelNode, `job "${job}": needs:parallel`, problems);
        if (instances) need.instances = instances;
      }
      if (need.job) needs.push(need);
      else problems.error(`job "${job}": each need in mapping form needs a job: name`, item.where);
      continue;
    }
    const name = readString(item, `job "${job}": needs`, problems);
    if (name !== undefined) needs.push({ job: name, artifacts: true, optional: false, where: item.where });
  }
  return needs;
}

/** `needs: [{job: build, parallel: {matrix: [...]}}]`: the names of the instances of `build` it selects. */
function readNeedInstances(target: string, node: Located, what: string, problems: Problems): string[] | undefined {
  const matrixNode = node.kind === 'map' ? node.entries.find((e) => e.key === 'matrix')?.value : undefined;
  if (node.kind !== 'map' || !matrixNode || node.entries.length !== 1) {
    problems.error(`${what} should be a mapping with one key, matrix:`, node.where);
    return undefined;
  }
  return readMatrix(matrixNode, what, problems)?.map((matrix) => matrixJobName(target, matrix));
}

export function readDependencies(node: Located, job: string, problems: Problems): { names: string[]; where: Located['where'][] } | undefined {
  const names = readStringList(node, `job "${job}": dependencies`, problems);
  if (!names) return undefined;
  const where = node.kind === 'seq' ? node.items.map((i) => i.where) : names.map(() => node.where);
  return { names, where };
}
