// `environment: NAME` or `environment: {name, url, action, deployment_tier, kubernetes, on_stop,
// auto_stop_in}`, checked as GitLab's Entry::Environment checks it. Name and url are expanded.

import type { EnvironmentPlan } from '../../shared/plan.js';
import { safeDuration } from './durations.js';
import { readOneOf, readString } from './fields.js';
import { toPlain, type Located } from './located.js';
import type { Problems } from './problems.js';
import { unknownKeyMessage } from './suggestions.js';

const ENVIRONMENT_KEYS = ['name', 'url', 'action', 'on_stop', 'auto_stop_in', 'kubernetes', 'deployment_tier'];
const ACTIONS = ['start', 'prepare', 'stop', 'verify', 'access'] as const;
const TIERS = ['production', 'staging', 'testing', 'development', 'other'] as const;
/** GitLab's environment_name_regex: no `/` at either end. */
const NAME_PATTERN = /^[a-zA-Z0-9_${}. -]([a-zA-Z0-9_/${}. -]*[a-zA-Z0-9_${}. -])?$/;
const NAME_MESSAGE = "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";

export function readEnvironment(node: Located, job: string, expand: (text: string) => string, problems: Problems): EnvironmentPlan | undefined {
  const owner = `job "${job}"`;
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const name = checkedName(node, owner, problems);
    return name === undefined ? undefined : { name: expand(name), action: 'start' };
  }
  if (node.kind !== 'map') {
    problems.error(`${owner}: environment config should be a hash or a string`, node.where);
    return undefined;
  }
  const nameEntry = node.entries.find((e) => e.key === 'name');
  if (!nameEntry) {
    problems.error(`${owner}: environment name can't be blank`, node.where);
    return undefined;
  }
  const name = checkedName(nameEntry.value, owner, problems);
  const plan: EnvironmentPlan = { name: expand(name ?? ''), action: 'start' };
  let ok = name !== undefined;
  for (const { key, keyWhere, value } of node.entries) {
    const what = `${owner}: environment ${key}`;
    if (key === 'name') continue;
    if (key === 'url') {
      const url = readString(value, what, problems);
      if (url !== undefined && url.length > 255) problems.error(`${what} is too long (maximum is 255 characters)`, value.where);
      if (url === undefined || url.length > 255) ok = false;
      else plan.url = expand(url);
    } else if (key === 'action') {
      const action = readOneOf(value, what, ACTIONS, problems);
      if (action) plan.action = action;
      else ok = false;
    } else if (key === 'deployment_tier') {
      const tier = readOneOf(value, what, TIERS, problems);
      if (tier) plan.deploymentTier = tier;
      else ok = false;
    } else if (key === 'on_stop') {
      const onStop = readString(value, what, problems);
      if (onStop === undefined) ok = false;
      else plan.onStop = onStop;
    } else if (key === 'auto_stop_in') {
      const written = readString(value, what, problems);
      // GitLab checks a value with variables only once they are expanded (when the job is created).
      const text = written === undefined ? undefined : expand(written).trim();
      const ms = text === undefined || text === 'never' ? undefined : safeDuration(text);
      const checkable = written !== undefined && !written.includes('$');
      if (checkable && text !== 'never' && ms === undefined) {
        problems.error(`${what} should be a duration (e.g. 1 day, 2 hours), not "${written}"`, value.where);
        ok = false;
      } else if (text !== undefined) plan.autoStopIn = text;
      if (ms !== undefined) plan.autoStopInMs = ms;
    } else if (key === 'kubernetes') {
      if (value.kind === 'map') plan.kubernetes = toPlain(value) as Record<string, unknown>;
      else {
        problems.error(`${what} should be a hash`, value.where);
        ok = false;
      }
    } else {
      problems.error(unknownKeyMessage(owner, 'environment', key, ENVIRONMENT_KEYS), keyWhere);
      ok = false;
    }
  }
  return ok ? plan : undefined;
}

function checkedName(node: Located, owner: string, problems: Problems): string | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    problems.error(`${owner}: environment name ${NAME_MESSAGE}`, node.where);
    return undefined;
  }
  const name = node.value;
  if (name === '') {
    problems.error(`${owner}: environment name can't be blank`, node.where);
    return undefined;
  }
  if (!NAME_PATTERN.test(name)) {
    problems.error(`${owner}: environment name ${NAME_MESSAGE}`, node.where);
    return undefined;
  }
  return name;
}
