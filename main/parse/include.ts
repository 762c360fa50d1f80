// `include:` — every kind GitLab has: local (with wildcards), remote, project (a local checkout or the
// API), template and component, with `inputs:` and `rules:`. Each file is merged under the including file,
// which wins on conflicts (deep merge, as GitLab does). An include that cannot be read (offline, no cached
// copy) is one warning; jobsim goes on without it and the jobs that needed it are marked broken.

import type { GitChanges } from './git-changes.js';
import type { SourceLocation } from '../../shared/plan.js';
import { fetchComponent, fetchProjectFile, fetchRemote, fetchTemplate, type ServerAccess } from './include-server.js';
import { displayUrl, type Fetched } from './include-fetched.js';
import { localPaths, readLocalInclude } from './include-local.js';
import { readProjectDirFile } from './include-project-dir.js';
import { deepMerge } from './inheritance.js';
import { InterpolationError, interpolateTree } from './interpolate.js';
import type { Located, LocatedMap } from './located.js';
import { get, toPlain } from './located.js';
import type { Problems } from './problems.js';
import type { ProjectFiles } from './project-glob.js';
import { evaluateRules, readRules } from './rules.js';
import { parseCiText, type CiDocuments } from './spec-header.js';
import { readInputSpecs, resolveInputs } from './spec-inputs.js';
import { expandText } from './variables.js';

/** GitLab's default `ci_max_includes`; every included file counts, the same file twice counts twice. */
export const MAX_INCLUDES = 150;
const KINDS = ['local', 'project', 'remote', 'template', 'artifact', 'component'] as const;
type Kind = (typeof KINDS)[number];
const OTHER_KEYS = ['file', 'ref', 'inputs', 'with', 'rules', 'cache', 'integrity'];

export interface IncludeState {
  projectDir: string;
  files: ProjectFiles;
  changes: GitChanges;
  problems: Problems;
  access: ServerAccess;
  /** `--project-dir group/name=PATH`, by lowercased project path. */
  projectDirs: ReadonlyMap<string, string>;
  /** The variables GitLab allows in `include:` (project, predefined, pipeline variables; not `variables:`). */
  lookup: (name: string) => string | undefined;
  isMasked: (name: string) => boolean;
  count: number;
  /** Labels of the includes that could not be read, for the jobs that depend on them. */
  unreachable: string[];
}

interface Target {
  kind: Exclude<Kind, 'artifact'>;
  location: string;
  /** For `project`: the project's path. */
  project?: string;
  ref?: string;
  label: string;
  args?: LocatedMap;
  where: SourceLocation;
}

const UNREADABLE = ' cannot be read:';

/** The warning an unreadable include leaves in the plan (`jobsim run UNKNOWN_JOB` quotes it). */
export const isUnreadableIncludeWarning = (message: string): boolean => message.startsWith('include:') && message.includes(UNREADABLE);

const HINTS: Record<Target['kind'], string> = {
  local: '',
  remote: 'run jobsim once while online to keep a copy',
  project: 'give a local checkout with --project-dir group/name=PATH, or run jobsim once while online (with --gitlab-token or GITLAB_TOKEN if the project is private)',
  template: 'run jobsim once while online (the server is the origin remote\'s host, or --server-url) to keep a copy',
  component: 'run jobsim once while online to keep a copy',
};

/** The root file's header (if any) applied with no inputs given, then its includes. */
export async function applyRootIncludes(documents: CiDocuments, state: IncludeState): Promise<Located> {
  const body = interpolated(documents, undefined, undefined, state);
  return body?.kind === 'map' ? applyIncludes(body, state) : body ?? { kind: 'map', entries: [], where: documents.body.where };
}

export async function applyIncludes(root: LocatedMap, state: IncludeState): Promise<LocatedMap> {
  const includeEntry = root.entries.find((e) => e.key === 'include');
  if (!includeEntry) return root;
  const own: LocatedMap = { ...root, entries: root.entries.filter((e) => e.key !== 'include') };
  let merged: LocatedMap | undefined;
  const node = includeEntry.value;
  const items = node.kind === 'seq' ? node.items : node.kind === 'scalar' && node.value === null ? [] : [node];
  for (const item of items) {
    for (const target of targetsOf(item, state)) {
      for (const tree of await readTarget(await expandLocal(target, state), state)) {
        if (state.count > MAX_INCLUDES) return own;
        const expanded = await applyIncludes(tree, state);
        merged = merged ? deepMerge(merged, expanded) : expanded;
      }
    }
    if (state.count > MAX_INCLUDES) break;
  }
  return merged ? deepMerge(merged, own) : own;
}

function expand(text: string, state: IncludeState): string {
  return expandText(text, state.lookup);
}

function stringField(node: Located | undefined, what: string, state: IncludeState): string | undefined {
  if (!node) return undefined;
  if (node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') {
    state.problems.error(`Included file \`${what}\` needs to be a string`, node.where);
    return undefined;
  }
  return expand(String(node.value), state);
}

/** One written `include:` item → what to read (a project with a list of files gives several). */
function targetsOf(item: Located, state: IncludeState): Target[] {
  const { problems } = state;
  if (item.kind === 'scalar' && typeof item.value === 'string') {
    const location = expand(item.value, state);
    const kind = /^https?:\/\//.test(location) ? 'remote' : 'local';
    return [{ kind, location, label: kind === 'remote' ? displayUrl(location) : location, where: item.where }];
  }
  if (item.kind !== 'map') {
    problems.error('Each include must be a hash or a string', item.where);
    return [];
  }
  const kinds = item.entries.filter((e) => (KINDS as readonly string[]).includes(e.key));
  if (kinds.length !== 1) {
    const subkeys = `\`${KINDS.join('`, `')}\``;
    problems.error(kinds.length === 0 ? `\`${JSON.stringify(toPlain(item))}\` does not have a valid subkey for include. Valid subkeys are: ${subkeys}` : `Each include must use only one of: ${subkeys}`, item.where);
    return [];
  }
  for (const e of item.entries) {
    if (!(KINDS as readonly string[]).includes(e.key) && !OTHER_KEYS.includes(e.key)) problems.error(`include config contains unknown keys: ${e.key}`, e.keyWhere);
  }
  const rulesNode = get(item, 'rules');
  if (rulesNode && !includedByRules(rulesNode, state)) return [];
  const kind = kinds[0]!.key as Kind;
  const argsNode = get(item, 'inputs') ?? get(item, 'with');
  const args = argsNode?.kind === 'map' ? argsNode : undefined;
  if (argsNode && !args) problems.error('include:inputs should be a mapping of input names to values', argsNode.where);
  if (kind === 'artifact') {
    problems.error('Including configs from artifacts is only allowed when triggering child pipelines', kinds[0]!.keyWhere);
    return [];
  }
  if (kind !== 'project') {
    const location = stringField(kinds[0]!.value, kind, state);
    return location === undefined ? [] : [{ kind, location, label: kind === 'remote' ? displayUrl(location) : location, where: kinds[0]!.value.where, ...(args ? { args } : {}) }];
  }
  const project = stringField(kinds[0]!.value, 'project', state);
  const ref = stringField(get(item, 'ref'), 'ref', state);
  const fileNode = get(item, 'file');
  if (project === undefined) return [];
  if (!fileNode) {
    problems.error(`\`${JSON.stringify(toPlain(item))}\` does not have a valid subkey for include. Valid subkeys are: \`${KINDS.join('`, `')}\``, item.where);
    return [];
  }
  const fileNodes = fileNode.kind === 'seq' ? fileNode.items : [fileNode];
  return fileNodes.flatMap((f) => {
    const file = stringField(f, 'file', state);
    if (file === undefined) return [];
    const label = `${project}${ref ? `@${ref}` : ''}:${file.replace(/^\/+/, '')}`;
    return [{ kind: 'project' as const, location: file, label, where: f.where, project, ...(ref !== undefined ? { ref } : {}), ...(args ? { args } : {}) }];
  });
}

function includedByRules(node: Located, state: IncludeState): boolean {
  const outcome = evaluateRules(readRules(node, 'include', state.problems), state.lookup, state);
  return outcome.matched && outcome.when !== 'never';
}

/** A wildcard local path becomes one target per matching file. */
async function expandLocal(target: Target, state: IncludeState): Promise<Target[]> {
  if (target.kind !== 'local') return [target];
  const paths = await localPaths(target.location, target.where, state.projectDir, state.files, state.problems);
  return paths.map((path) => ({ ...target, location: path, label: path }));
}

async function readTarget(targets: Target[], state: IncludeState): Promise<LocatedMap[]> {
  const out: LocatedMap[] = [];
  for (const target of targets) {
    state.count += 1;
    if (state.count > MAX_INCLUDES) {
      state.problems.error(`Maximum of ${MAX_INCLUDES} nested includes are allowed!`, target.where);
      return out;
    }
    const text = await readText(target, state);
    if (text === undefined) continue;
    const display = target.kind === 'local' ? target.location : target.label;
    const body = interpolated(parseCiText(display, text, state.problems), target.args, target, state);
    if (!body) continue;
    if (body.kind !== 'map') {
      state.problems.error(`Included file \`${target.label}\` does not have valid YAML syntax!`, target.where);
      continue;
    }
    out.push(body);
  }
  return out;
}

async function readText(target: Target, state: IncludeState): Promise<string | undefined> {
  if (target.kind === 'local') return readLocalInclude(target.location, target.where, state.projectDir, state.problems);
  let fetched: Fetched;
  if (target.kind === 'project') {
    const project = target.project!;
    const dir = state.projectDirs.get(project.toLowerCase());
    fetched = dir ? await readProjectDirFile(project, dir, target.location, target.ref) : await fetchProjectFile(project, target.location, target.ref, state.access);
  } else if (target.kind === 'remote') fetched = await fetchRemote(target.location, state.access);
  else if (target.kind === 'template') fetched = await fetchTemplate(target.location, state.access);
  else fetched = await fetchComponent(target.location, state.access);
  if (fetched.kind === 'error') {
    state.problems.error(fetched.message, target.where);
    return undefined;
  }
  if (fetched.kind === 'unreachable') {
    state.unreachable.push(`${target.kind} ${target.label}`);
    state.problems.warn(`include:${target.kind} ${target.label}${UNREADABLE} ${fetched.reason}. To use it, ${HINTS[target.kind]}; jobs that depend on it are listed as broken`, target.where);
    return undefined;
  }
  if (fetched.warning) state.problems.warn(`include:${target.kind} ${target.label}: ${fetched.warning}`, target.where);
  if (fetched.text.trim() === '') {
    state.problems.error(`Included file \`${target.label}\` is empty or does not exist!`, target.where);
    return undefined;
  }
  return fetched.text;
}

/** Header inputs checked and `$[[ ]]` interpolated; undefined after reporting an error (GitLab's words). */
function interpolated(documents: CiDocuments, args: LocatedMap | undefined, target: Target | undefined, state: IncludeState): Located | undefined {
  const prefix = target ? `\`${target.label}\`: ` : '';
  const argsWhere = args?.where ?? target?.where;
  if (!documents.header) {
    if (args && args.entries.length > 0) {
      state.problems.error(`${prefix}Given inputs not defined in the \`spec\` section of the included configuration file`, argsWhere);
      return undefined;
    }
    return documents.body;
  }
  const errorsBefore = state.problems.errors.length;
  const specs = readInputSpecs(documents.header, state.problems);
  if (state.problems.errors.length > errorsBefore) return undefined;
  const { values, errors } = resolveInputs(specs, args);
  if (errors.length > 0) {
    // GitLab shows at most three of them, joined (Interpolator#error_message).
    state.problems.error(`${prefix}${errors.slice(0, 3).join(', ')}`, argsWhere ?? documents.header.where);
    return undefined;
  }
  try {
    return interpolateTree(documents.body, { inputs: values, lookup: state.lookup, isMasked: state.isMasked });
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    state.problems.error(`${prefix}${error.message}`, error.where);
    return undefined;
  }
}
