// `parallel: N` and `parallel:matrix`: one written job becomes several, named and numbered the way GitLab's
// normalizer does it (lib/gitlab/ci/config/normalizer/*_strategy.rb):
//   parallel: 3                  → "test 1/3", "test 2/3", "test 3/3"
//   parallel: {matrix: [{A: [x, y], B: z}]} → "test: [x, z]", "test: [y, z]"
// Every instance gets CI_NODE_INDEX (1-based) and CI_NODE_TOTAL; matrix instances also get their matrix
// values as job variables (they override the job's own variables of the same name, as GitLab merges them).
// A `needs:` or `dependencies:` naming the written job means every instance of it.

import type { SourceLocation } from '../../shared/plan.js';
import type { Located } from './located.js';
import { scalarText } from './located.js';
import type { Problems } from './problems.js';
import type { RawVariable } from './variables.js';

/** GitLab's PARALLEL_LIMIT: at most this many instances of one job. */
export const PARALLEL_LIMIT = 200;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One job that a `parallel:` job becomes. */
export interface JobInstance {
  /** The job as written. */
  job: string;
  name: string;
  /** 1-based, as CI_NODE_INDEX. */
  index: number;
  total: number;
  /** The matrix values of this instance, in written order (none for `parallel: N`). */
  matrix: [string, string][];
}

/** The variables an instance adds: its matrix values, then CI_NODE_INDEX and CI_NODE_TOTAL. */
export function instanceVariables(instance: JobInstance, where: SourceLocation): RawVariable[] {
  return [
    ...instance.matrix.map(([key, value]): RawVariable => ({ key, value, source: 'job', masked: false, expand: true, where })),
    { key: 'CI_NODE_INDEX', value: String(instance.index), source: 'predefined', masked: false, expand: false, where },
    { key: 'CI_NODE_TOTAL', value: String(instance.total), source: 'predefined', masked: false, expand: false, where },
  ];
}

/** Ruby's `to_s` of a YAML scalar, which GitLab applies to matrix values. */
function matrixValueText(node: Located): string | undefined {
  if (node.kind !== 'scalar' || node.value === null) return undefined;
  return scalarText(node);
}

/** Reads one `matrix:` list into its combinations, in GitLab's order (each entry's cartesian product, in turn). */
export function readMatrix(node: Located, what: string, problems: Problems): [string, string][][] | undefined {
  if (node.kind !== 'seq' || node.items.length === 0) {
    problems.error(`${what}:matrix should be a list of mappings of VARIABLE: value or [values]`, node.where);
    return undefined;
  }
  const combinations: [string, string][][] = [];
  let ok = true;
  for (const item of node.items) {
    if (item.kind !== 'map' || item.entries.length === 0) {
      problems.error(`${what}:matrix: each entry should be a mapping of VARIABLE: value or [values]`, item.where);
      ok = false;
      continue;
    }
    let product: [string, string][][] = [[]];
    for (const { key, keyWhere, value } of item.entries) {
      if (!NAME.test(key)) {
        problems.error(`${what}:matrix: "${key}" is not a valid variable name (letters, digits and _ only)`, keyWhere);
        ok = false;
        continue;
      }
      const nodes = value.kind === 'seq' ? value.items : [value];
      const values = nodes.map(matrixValueText);
      if (values.length === 0 || values.some((v) => v === undefined)) {
        problems.error(`${what}:matrix: ${key} should be a string or a list of strings`, value.where);
        ok = false;
        continue;
      }
      product = product.flatMap((partial) => (values as string[]).map((v): [string, string][] => [...partial, [key, v]]));
    }
    combinations.push(...product);
  }
  if (!ok) return undefined;
  if (combinations.length > PARALLEL_LIMIT) {
    problems.error(`${what}:matrix config generates too many jobs (maximum is ${PARALLEL_LIMIT})`, node.where);
    return undefined;
  }
  return combinations;
}

/** GitLab's matrix job name: `job: [value, value]`. */
export function matrixJobName(job: string, matrix: readonly [string, string][]): string {
  return `${job}: [${matrix.map(([, value]) => value).join(', ')}]`;
}

/** The instances of a job with `parallel:`, or undefined when the value is invalid (reported). */
export function readParallel(job: string, node: Located, problems: Problems): JobInstance[] | undefined {
  const what = `job "${job}": parallel`;
  if (node.kind === 'scalar') {
    const total = node.value;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 1 || total > PARALLEL_LIMIT) {
      problems.error(`${what} should be an integer from 1 to ${PARALLEL_LIMIT}, or a matrix:`, node.where);
      return undefined;
    }
    return Array.from({ length: total }, (_, i) => ({ job, name: `${job} ${i + 1}/${total}`, index: i + 1, total, matrix: [] }));
  }
  if (node.kind !== 'map') {
    problems.error(`${what} should be an integer or a hash`, node.where);
    return undefined;
  }
  const unknown = node.entries.filter((e) => e.key !== 'matrix');
  for (const e of unknown) problems.error(`${what} config contains unknown keys: ${e.key}`, e.keyWhere);
  const matrixNode = node.entries.find((e) => e.key === 'matrix')?.value;
  if (!matrixNode) {
    problems.error(`${what} config missing required keys: matrix`, node.where);
    return undefined;
  }
  const combinations = readMatrix(matrixNode, what, problems);
  if (!combinations || unknown.length > 0) return undefined;
  return combinations.map((matrix, i) => ({ job, name: matrixJobName(job, matrix), index: i + 1, total: combinations.length, matrix }));
}
