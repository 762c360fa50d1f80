// Job keywords jobsim plans but does not act on yet (issue 16 gives them their run behaviour):
// start_in, retry, interruptible, tags, environment, coverage, resource_group and trigger.

import type { JobPlan, JobWhen, Variable } from '../../shared/plan.js';
import { startInMs } from './durations.js';
import { readEnvironment } from './environment.js';
import { readBoolean, readString } from './fields.js';
import { describe, type Located, type LocatedMap } from './located.js';
import type { Problems } from './problems.js';
import { readRetry } from './retry.js';
import type { RuleOutcome } from './rules.js';
import { TRIGGER_JOB_KEYS, readTrigger } from './trigger.js';

/** GitLab's TAGS_LIMIT: a job may have fewer than 50 tags. */
const MAX_TAGS = 50;

export interface ExtrasInput {
  job: string;
  map: LocatedMap;
  /** The job's value for a key, else the inherited `default:` one. */
  fromJobOrDefault: (key: string) => Located | undefined;
  /** The job's resolved variables (matrix values included). */
  variables: readonly Variable[];
  /** The `when:` written on the job itself. */
  writtenWhen: JobWhen | undefined;
  /** Set when the job has `rules:` (the outcome of the matching rule). */
  rules: RuleOutcome | undefined;
  problems: Problems;
}

export type JobExtras = Pick<JobPlan, 'startInMs' | 'retry' | 'interruptible' | 'tags' | 'environment' | 'coverage' | 'resourceGroup' | 'trigger'>;

export function readJobExtras(input: ExtrasInput): JobExtras {
  const { job, map, problems } = input;
  const node = (key: string): Located | undefined => map.entries.find((e) => e.key === key)?.value;
  const expand = shownExpansion(input.variables);
  const out: JobExtras = {};

  const triggerNode = node('trigger');
  if (triggerNode) {
    checkTriggerJob(input);
    const trigger = readTrigger(triggerNode, job, expand, problems);
    if (trigger) out.trigger = trigger;
  }
  const startIn = readStartIn(input);
  if (startIn !== undefined) out.startInMs = startIn;
  const retryNode = input.fromJobOrDefault('retry');
  const retry = retryNode && readRetry(retryNode, job, problems);
  if (retry) out.retry = retry;
  const interruptibleNode = input.fromJobOrDefault('interruptible');
  const interruptible = input.rules?.interruptible ?? (interruptibleNode && readBoolean(interruptibleNode, `job "${job}": interruptible`, problems));
  if (interruptible !== undefined) out.interruptible = interruptible;
  const tagsNode = input.fromJobOrDefault('tags');
  const tags = tagsNode && readTags(tagsNode, job, expand, problems);
  if (tags) out.tags = tags;
  const environmentNode = node('environment');
  const environment = environmentNode && readEnvironment(environmentNode, job, expand, problems);
  if (environment) out.environment = environment;
  const coverageNode = node('coverage');
  const coverage = coverageNode && readCoverage(coverageNode, job, problems);
  if (coverage) out.coverage = coverage;
  const groupNode = node('resource_group');
  const group = groupNode && readString(groupNode, `job "${job}": resource_group`, problems);
  if (group !== undefined) out.resourceGroup = expand(group);
  return out;
}

/**
 * Expansion with the job's variables for values jobsim shows (plan, list): a secret reads [MASKED], and a
 * variable the job does not have yet (CI_ENVIRONMENT_SLUG, a dotenv variable) stays as written.
 */
function shownExpansion(variables: readonly Variable[]): (text: string) => string {
  const byKey = new Map(variables.map((v) => [v.key, v]));
  return (text) =>
    text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
      if (match === '$$') return '$';
      const v = byKey.get((braced ?? bare)!);
      if (!v) return match;
      return v.masked ? '[MASKED]' : v.value;
    });
}

/**
 * Job-level `start_in`: required with `when: delayed`, not allowed otherwise nor with `rules:`
 * (a rule then carries it). The matching rule's start_in wins when the job has rules.
 */
function readStartIn({ job, map, writtenWhen, rules, problems }: ExtrasInput): number | undefined {
  const entry = map.entries.find((e) => e.key === 'start_in');
  if (rules) {
    if (entry) problems.error(`job "${job}": start_in key may not be used with \`rules\` (set start_in in the rule)`, entry.keyWhere);
    return rules.when === 'delayed' ? rules.startInMs : undefined;
  }
  if (writtenWhen !== 'delayed') {
    if (entry) problems.error(`job "${job}": start_in must be blank unless when: delayed`, entry.keyWhere);
    return undefined;
  }
  if (!entry) {
    const whenWhere = map.entries.find((e) => e.key === 'when')?.value.where ?? map.where;
    problems.error(`job "${job}": start_in should be a duration: when: delayed needs start_in (e.g. start_in: 30 minutes)`, whenWhere);
    return undefined;
  }
  const text = readString(entry.value, `job "${job}": start_in`, problems);
  if (text === undefined) return undefined;
  const ms = startInMs(text);
  if (typeof ms === 'string') {
    problems.error(`job "${job}": ${ms}`, entry.value.where);
    return undefined;
  }
  return ms;
}

/** GitLab's Bridge entry: a trigger job runs no container, so script, image... are not allowed. */
function checkTriggerJob({ job, map, writtenWhen, problems }: ExtrasInput): void {
  for (const { key, keyWhere } of map.entries) {
    if (TRIGGER_JOB_KEYS.includes(key)) continue;
    if (key === 'script') problems.error(`job "${job}" config these keys cannot be used together: script, trigger`, keyWhere);
    else problems.error(`job "${job}" config contains unknown keys: ${key} (a trigger job runs no container; allowed: ${TRIGGER_JOB_KEYS.join(', ')})`, keyWhere);
  }
  if (writtenWhen === 'delayed') {
    const whenNode = map.entries.find((e) => e.key === 'when');
    problems.error(`job "${job}": when should be one of: on_success, on_failure, always, manual (a trigger job cannot be delayed)`, whenNode?.value.where ?? map.where);
  }
  const allow = map.entries.find((e) => e.key === 'allow_failure');
  if (allow && !(allow.value.kind === 'scalar' && typeof allow.value.value === 'boolean')) {
    problems.error(`job "${job}": allow_failure should be a boolean value (a trigger job has no exit codes)`, allow.value.where);
  }
}

/** `tags`: a list of strings (nested lists flattened), each expanded. */
function readTags(node: Located, job: string, expand: (text: string) => string, problems: Problems): string[] | undefined {
  const flat: Located[] = [];
  const walk = (n: Located, depth: number): boolean => {
    if (n.kind === 'seq' && depth < 10) return n.items.every((item) => walk(item, depth + 1));
    if (n.kind === 'scalar' && typeof n.value === 'string' && depth > 0) {
      flat.push(n);
      return true;
    }
    problems.error(`job "${job}": tags config should be an array of strings, not ${depth === 0 ? describe(n) : `an item that is ${describe(n)}`}`, n.where);
    return false;
  };
  if (!walk(node, 0)) return undefined;
  if (flat.length >= MAX_TAGS) {
    problems.error(`job "${job}": tags config must be less than the limit of ${MAX_TAGS} tags`, node.where);
    return undefined;
  }
  return flat.map((n) => expand(String((n as { value: string }).value)));
}

/** `coverage: '/regex/'`: GitLab wants a regular expression between slashes (flags allowed). */
function readCoverage(node: Located, job: string, problems: Problems): string | undefined {
  const text = node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
  const match = text === undefined ? null : /^\/(.*)\/([ismU]*)$/s.exec(text);
  if (!match) {
    problems.error(`job "${job}": coverage config must be a regular expression between slashes, e.g. '/Coverage: \\d+\\.\\d+%/'`, node.where);
    return undefined;
  }
  return text;
}
