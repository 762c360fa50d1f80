// `retry: N` or `retry: {max, when, exit_codes}`, checked as GitLab's Entry::Retry checks it.

import { RETRY_WHEN, type RetryPlan } from '../../shared/plan.js';
import { describe, type Located } from './located.js';
import type { Problems } from './problems.js';
import { didYouMean, unknownKeyMessage } from './suggestions.js';

const RETRY_KEYS = ['max', 'when', 'exit_codes'];

export function readRetry(node: Located, job: string, problems: Problems): RetryPlan | undefined {
  const owner = `job "${job}"`;
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    const max = readMax(node, owner, problems);
    return max === undefined ? undefined : { max, when: ['always'], exitCodes: [] };
  }
  if (node.kind !== 'map') {
    problems.error(`${owner}: retry config has to be either an integer or a hash`, node.where);
    return undefined;
  }
  const plan: RetryPlan = { max: 0, when: ['always'], exitCodes: [] };
  let ok = true;
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'max') {
      const max = readMax(value, owner, problems);
      if (max === undefined) ok = false;
      else plan.max = max;
    } else if (key === 'when') {
      const when = readRetryWhen(value, owner, problems);
      if (when === undefined) ok = false;
      else plan.when = when;
    } else if (key === 'exit_codes') {
      const codes = readExitCodes(value, owner, problems);
      if (codes === undefined) ok = false;
      else plan.exitCodes = codes;
    } else {
      problems.error(unknownKeyMessage(owner, 'retry', key, RETRY_KEYS), keyWhere);
      ok = false;
    }
  }
  return ok ? plan : undefined;
}

function readMax(node: Located, owner: string, problems: Problems): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value <= 2) return node.value;
  const shown = node.kind === 'scalar' ? JSON.stringify(node.value) : describe(node);
  problems.error(`${owner}: retry max must be an integer from 0 to 2 (GitLab allows at most 2 retries), not ${shown}`, node.where);
  return undefined;
}

function readRetryWhen(node: Located, owner: string, problems: Problems): string[] | undefined {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar' || typeof item.value !== 'string') {
      problems.error(`${owner}: retry when should be an array of strings or a string`, item.where);
      return undefined;
    }
    const known = (RETRY_WHEN as readonly string[]).includes(item.value);
    const hint = known ? '' : didYouMean(item.value, RETRY_WHEN);
    if (!/^[a-z_]+$/.test(item.value) || hint) {
      problems.error(`${owner}: retry when contains unknown values: ${item.value}${hint}`, item.where);
      return undefined;
    }
    if (!known) {
      problems.warn(`${owner}: retry when "${item.value}" is not a failure reason jobsim knows; GitLab rejects it unless your GitLab version defines it`, item.where);
    }
    out.push(item.value);
  }
  return out;
}

function readExitCodes(node: Located, owner: string, problems: Problems): number[] | undefined {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: number[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar' || typeof item.value !== 'number' || !Number.isInteger(item.value)) {
      problems.error(`${owner}: retry exit codes should be an array of integers or an integer`, item.where);
      return undefined;
    }
    out.push(item.value);
  }
  return out;
}
