// `rules:changes` and `rules:exists`: read as GitLab's config entries accept them, evaluated as its
// rule clauses do (lib/gitlab/ci/build/rules/rule/clause/{changes,exists}.rb): globs matched with
// File.fnmatch? (see fnmatch.ts), variables the job knows expanded in the paths, unknown ones kept.

import type { SourceLocation } from '../../shared/plan.js';
import { readString, readStringList } from './fields.js';
import { compileGlob } from './fnmatch.js';
import type { ChangedFiles, GitChanges } from './git-changes.js';
import type { Located } from './located.js';
import type { Problems } from './problems.js';
import type { ProjectFiles } from './project-glob.js';
import { unknownKeyMessage } from './suggestions.js';

const MAX_PATHS = 50;
/** GitLab: past this many path × glob comparisons, the clause is taken as satisfied. */
const CHANGES_MAX_COMPARISONS = 50_000;
const EXISTS_MAX_COMPARISONS = 10_000;

export interface ChangesClause {
  paths: string[];
  compareTo?: string;
  where: SourceLocation;
}

export interface ExistsClause {
  paths: string[];
  /** `exists:project` (and `ref`): another project's files, which jobsim cannot see. */
  project?: string;
  where: SourceLocation;
}

/** What the clauses are checked against. */
export interface RuleFiles {
  files: ProjectFiles;
  changes: GitChanges;
}

type Lookup = (name: string) => string | undefined;

export function readChangesClause(node: Located, owner: string, problems: Problems): ChangesClause | undefined {
  const what = `${owner}: rules:changes`;
  if (node.kind === 'seq') {
    const paths = readPaths(node, what, problems);
    return paths && { paths, where: node.where };
  }
  if (node.kind !== 'map') {
    problems.error(`${what} should be an array or a hash`, node.where);
    return undefined;
  }
  const clause: ChangesClause = { paths: [], where: node.where };
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'paths') clause.paths = readPaths(value, `${what}:paths`, problems) ?? [];
    else if (key === 'compare_to') clause.compareTo = readString(value, `${what}:compare_to`, problems);
    else problems.error(unknownKeyMessage(owner, 'rules:changes', key, ['paths', 'compare_to']), keyWhere);
  }
  if (!node.entries.some((e) => e.key === 'paths')) problems.error(`${what} config missing required keys: paths`, node.where);
  return clause;
}

export function readExistsClause(node: Located, owner: string, problems: Problems): ExistsClause | undefined {
  const what = `${owner}: rules:exists`;
  if (node.kind !== 'map') {
    const paths = readPaths(node, what, problems);
    return paths && { paths, where: node.where };
  }
  const clause: ExistsClause = { paths: [], where: node.where };
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'paths') clause.paths = readPaths(value, `${what}:paths`, problems) ?? [];
    else if (key === 'project') clause.project = readString(value, `${what}:project`, problems);
    else if (key === 'ref') readString(value, `${what}:ref`, problems);
    else problems.error(unknownKeyMessage(owner, 'rules:exists', key, ['paths', 'project', 'ref']), keyWhere);
  }
  const keys = node.entries.map((e) => e.key);
  if (!keys.includes('paths')) problems.error(`${what} config missing required keys: paths`, node.where);
  if (keys.includes('ref') && !keys.includes('project')) problems.error(`${what} config missing required keys: project`, node.where);
  if (clause.project !== undefined) {
    problems.warn(`${what}:project "${clause.project}": jobsim cannot see another project's files; this rule's exists counts as no file found`, node.where);
  }
  return clause;
}

function readPaths(node: Located, what: string, problems: Problems): string[] | undefined {
  if (node.kind === 'scalar' && node.value === null) return [];
  const paths = readStringList(node, what, problems);
  if (paths && paths.length > MAX_PATHS) {
    problems.error(`${what} has too many entries (maximum ${MAX_PATHS})`, node.where);
    return undefined;
  }
  return paths;
}

/** GitLab's ExpandVariables.expand_existing: `$VAR`, `${VAR}` and `%VAR%` of known variables; others stay. */
export function expandExisting(text: string, lookup: Lookup): string {
  return text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|%([A-Za-z_][A-Za-z0-9_]*)%/g, (match, bare?: string, braced?: string, percent?: string) => {
    return lookup((bare ?? braced ?? percent)!) ?? match;
  });
}

/** Clause::Changes#satisfied_by?: no list of changes → true; no change or no glob → false. */
export function changesSatisfied(clause: ChangesClause, lookup: Lookup, inputs: RuleFiles): boolean {
  const compareTo = clause.compareTo === undefined ? undefined : expandExisting(clause.compareTo, lookup);
  const changed = inputs.changes.changed(compareTo, clause.where);
  const globs = [...new Set(clause.paths.map((p) => expandExisting(p, lookup)))];
  return changedMatch(changed, globs);
}

/** Shared with `only:changes` (Policy::Changes), which expands no variables. */
export function changedMatch(changed: ChangedFiles, globs: string[]): boolean {
  if (!changed.known) return true;
  if (changed.paths.length === 0 || globs.length === 0) return false;
  if (changed.paths.length * globs.length > CHANGES_MAX_COMPARISONS) return true;
  const matchers = globs.map(compileGlob);
  return changed.paths.some((path) => matchers.some((m) => m(path)));
}

/** Clause::Exists#satisfied_by?: exact names compared as they are, `**\/*.ext` by ending, the rest by glob. */
export function existsSatisfied(clause: ExistsClause, lookup: Lookup, inputs: RuleFiles): boolean {
  if (clause.project !== undefined) return false;
  const globs = clause.paths.map((p) => expandExisting(p, lookup));
  if (globs.length === 0) return false;
  const files = inputs.files.checkoutFiles();
  const exact = globs.filter(isExact);
  if (exact.length > 0) {
    const present = new Set(files);
    if (exact.some((g) => present.has(g))) return true;
  }
  const extensions = globs.filter((g) => !isExact(g) && isExtensionGlob(g)).map((g) => g.slice('**/*'.length));
  if (extensions.length > 0 && files.some((f) => extensions.some((ext) => f.endsWith(ext)))) return true;
  let comparisons = 0;
  return globs
    .filter((g) => !isExact(g) && !isExtensionGlob(g))
    .some((glob) => {
      const matches = compileGlob(glob);
      return files.some((file) => {
        comparisons += 1;
        return comparisons > EXISTS_MAX_COMPARISONS || matches(file);
      });
    });
}

const isExact = (glob: string): boolean => !/[*?[{]/.test(glob);

function isExtensionGlob(glob: string): boolean {
  const rest = glob.startsWith('**/*') ? glob.slice('**/*'.length) : glob;
  return rest.startsWith('.') && !rest.includes('/') && isExact(rest);
}
