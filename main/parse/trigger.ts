// `trigger:` of a job that starts a downstream pipeline: `trigger: group/project`,
// `{project, branch, strategy, forward}` (multi-project), or `{include, strategy, forward}` (a child
// pipeline), checked as GitLab's Entry::Trigger checks it.

import type { ChildInclude, TriggerForward, TriggerPlan } from '../../shared/plan.js';
import { readBoolean, readString, readStringList } from './fields.js';
import type { Located, LocatedMap } from './located.js';
import type { Problems } from './problems.js';
import { unknownKeyMessage } from './suggestions.js';

const PROJECT_KEYS = ['project', 'branch', 'strategy', 'forward', 'inputs'];
const CHILD_KEYS = ['include', 'strategy', 'forward', 'inputs'];
const INCLUDE_KEYS = ['local', 'project', 'file', 'ref', 'template', 'remote', 'component', 'artifact', 'job', 'inputs', 'rules'];
/** GitLab's INCLUDE_MAX_SIZE for a child pipeline. */
const MAX_CHILD_INCLUDES = 3;

/** Keys a trigger job may have (GitLab's Bridge entry); anything else makes the file invalid. */
export const TRIGGER_JOB_KEYS = [
  'trigger', 'parallel', 'extends', 'stage', 'only', 'except', 'rules', 'variables', 'inherit',
  'allow_failure', 'when', 'needs', 'resource_group', 'environment', 'interruptible',
];

export function readTrigger(node: Located, job: string, expand: (text: string) => string, problems: Problems): TriggerPlan | undefined {
  const owner = `job "${job}"`;
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    if (node.value.trim() === '') {
      problems.error(`${owner}: trigger config can't be blank`, node.where);
      return undefined;
    }
    return { kind: 'project', project: expand(node.value), forward: defaultForward() };
  }
  if (node.kind !== 'map') {
    problems.error(`${owner}: trigger config has to be either a string or a hash`, node.where);
    return undefined;
  }
  const isChild = node.entries.some((e) => e.key === 'include');
  const allowed = isChild ? CHILD_KEYS : PROJECT_KEYS;
  let ok = true;
  for (const e of node.entries) {
    if (!allowed.includes(e.key)) {
      problems.error(unknownKeyMessage(owner, 'trigger', e.key, allowed), e.keyWhere);
      ok = false;
    }
  }
  const strategy = readStrategy(node, owner, problems);
  const forward = readForward(node, owner, problems);
  if (strategy === null || forward === undefined) ok = false;
  const common = { ...(strategy ? { strategy } : {}), forward: forward ?? defaultForward() };
  if (isChild) {
    const include = readChildIncludes(node.entries.find((e) => e.key === 'include')!.value, owner, expand, problems);
    return ok && include ? { kind: 'child', include, ...common } : undefined;
  }
  const projectNode = node.entries.find((e) => e.key === 'project')?.value;
  if (!projectNode) {
    problems.error(`${owner}: trigger config must specify either project or include`, node.where);
    return undefined;
  }
  const project = readString(projectNode, `${owner}: trigger project`, problems);
  const branchNode = node.entries.find((e) => e.key === 'branch')?.value;
  const branch = branchNode ? readString(branchNode, `${owner}: trigger branch`, problems) : undefined;
  if (project === undefined || project === '' || (branchNode && branch === undefined) || !ok) {
    if (project === '') problems.error(`${owner}: trigger project can't be blank`, projectNode.where);
    return undefined;
  }
  return { kind: 'project', project: expand(project), ...(branch !== undefined ? { branch: expand(branch) } : {}), ...common };
}

function defaultForward(): TriggerForward {
  return { yamlVariables: true, pipelineVariables: false };
}

/** undefined: not written; null: invalid (already reported). */
function readStrategy(node: LocatedMap, owner: string, problems: Problems): 'depend' | 'mirror' | undefined | null {
  const value = node.entries.find((e) => e.key === 'strategy')?.value;
  if (!value) return undefined;
  if (value.kind === 'scalar' && (value.value === 'depend' || value.value === 'mirror')) return value.value;
  problems.error(`${owner}: trigger strategy should be depend or mirror`, value.where);
  return null;
}

function readForward(node: LocatedMap, owner: string, problems: Problems): TriggerForward | undefined {
  const forward = defaultForward();
  const value = node.entries.find((e) => e.key === 'forward')?.value;
  if (!value) return forward;
  if (value.kind !== 'map') {
    problems.error(`${owner}: trigger forward should be a hash (yaml_variables, pipeline_variables)`, value.where);
    return undefined;
  }
  let ok = true;
  for (const e of value.entries) {
    const flag = e.key === 'yaml_variables' || e.key === 'pipeline_variables' ? readBoolean(e.value, `${owner}: trigger forward ${e.key}`, problems) : undefined;
    if (e.key === 'yaml_variables' && flag !== undefined) forward.yamlVariables = flag;
    else if (e.key === 'pipeline_variables' && flag !== undefined) forward.pipelineVariables = flag;
    else {
      if (e.key !== 'yaml_variables' && e.key !== 'pipeline_variables') problems.error(unknownKeyMessage(owner, 'trigger forward', e.key, ['yaml_variables', 'pipeline_variables']), e.keyWhere);
      ok = false;
    }
  }
  return ok ? forward : undefined;
}

function readChildIncludes(node: Located, owner: string, expand: (text: string) => string, problems: Problems): ChildInclude[] | undefined {
  const items = node.kind === 'seq' ? node.items : [node];
  if (items.length > MAX_CHILD_INCLUDES) {
    problems.error(`${owner}: trigger include config has too many entries (maximum ${MAX_CHILD_INCLUDES})`, node.where);
    return undefined;
  }
  const out: ChildInclude[] = [];
  for (const item of items) {
    const one = readChildInclude(item, owner, expand, problems);
    if (!one) return undefined;
    out.push(one);
  }
  if (out.length === 0) {
    problems.error(`${owner}: trigger include config can't be blank`, node.where);
    return undefined;
  }
  return out;
}

function readChildInclude(item: Located, owner: string, expand: (text: string) => string, problems: Problems): ChildInclude | undefined {
  const what = `${owner}: trigger include`;
  if (item.kind === 'scalar' && typeof item.value === 'string') {
    return /^https?:\/\//.test(item.value) ? { kind: 'remote', url: expand(item.value) } : { kind: 'local', path: expand(item.value) };
  }
  if (item.kind !== 'map') {
    problems.error(`${what} should be a file path or a mapping (local, project, template, artifact, remote, component)`, item.where);
    return undefined;
  }
  for (const e of item.entries) {
    if (!INCLUDE_KEYS.includes(e.key)) {
      problems.error(unknownKeyMessage(owner, 'trigger include', e.key, INCLUDE_KEYS), e.keyWhere);
      return undefined;
    }
  }
  const text = (key: string): string | undefined => {
    const value = item.entries.find((e) => e.key === key)?.value;
    const written = value ? readString(value, `${what}:${key}`, problems) : undefined;
    return written === undefined ? undefined : expand(written);
  };
  const has = (key: string): boolean => item.entries.some((e) => e.key === key);
  if (has('artifact')) {
    const path = text('artifact');
    const job = text('job');
    if (path !== undefined && job === undefined && !has('job')) problems.error(`${what}: an artifact include needs job: (the job that creates the file)`, item.where);
    return path !== undefined && job !== undefined ? { kind: 'artifact', path, job } : undefined;
  }
  if (has('local')) {
    const path = text('local');
    return path === undefined ? undefined : { kind: 'local', path };
  }
  if (has('project')) {
    const project = text('project');
    const fileNode = item.entries.find((e) => e.key === 'file')?.value;
    if (!fileNode) problems.error(`${what}: a project include needs file:`, item.where);
    const files = fileNode ? readStringList(fileNode, `${what}:file`, problems) : undefined;
    const ref = has('ref') ? text('ref') : undefined;
    if (project === undefined || !files) return undefined;
    return { kind: 'project', project, files: files.map(expand), ...(ref !== undefined ? { ref } : {}) };
  }
  if (has('template')) {
    const name = text('template');
    return name === undefined ? undefined : { kind: 'template', name };
  }
  if (has('remote')) {
    const url = text('remote');
    return url === undefined ? undefined : { kind: 'remote', url };
  }
  if (has('component')) {
    const ref = text('component');
    return ref === undefined ? undefined : { kind: 'component', ref };
  }
  problems.error(`${what} should name local, project, template, artifact, remote or component`, item.where);
  return undefined;
}
