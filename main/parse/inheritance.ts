// `!reference [job, key, ...]` and `extends:` — GitLab's two ways to reuse configuration.
// As GitLab does (Config#build_config: includes, then Extendable, then Tags::Resolver), `extends`
// deep-merges mappings first (lists and scalars are replaced), multi-level, with cycle detection; then
// references are resolved against the merged configuration (they may point into hidden jobs).

import type { Located, LocatedEntry, LocatedMap } from './located.js';
import { get } from './located.js';
import type { Problems } from './problems.js';
import { didYouMean } from './suggestions.js';

/** Commands entry: script nested up to 10 levels of lists, which is how deep `!reference` tags in lists may nest. */
const MAX_LIST_NESTING = 10;
const MAX_EXTENDS_DEPTH = 11;

/**
 * `unreachable`: includes that could not be read. A reference to nothing, while one of them is missing,
 * probably points into it: the job that holds it goes into `incomplete` (listed as broken), not an error.
 */
export function resolveReferences(root: LocatedMap, problems: Problems, unreachable: readonly string[] = [], incomplete = new Map<string, string>()): LocatedMap {
  /** References being resolved (GitLab's Tags::Base `resolving?`): meeting one again is a circular chain. */
  const inProgress = new Set<Located>();
  /**
   * undefined: a reference that points to nothing (already reported); it is left out. `lists`: how many
   * lists deep the node is (GitLab keeps a reference in a list as one more level of nested list).
   */
  const resolveNode = (node: Located, lists: number, owner?: string): Located | undefined => {
    if (node.kind === 'reference') {
      if (inProgress.has(node)) {
        problems.error(`!reference [${node.path.map((p) => JSON.stringify(p)).join(', ')}] is part of a circular chain`, node.where);
        return undefined;
      }
      const target = lookup(root, node.path);
      if (!target && unreachable.length > 0 && owner !== undefined) {
        if (!incomplete.has(owner)) incomplete.set(owner, `!reference [${node.path.join(', ')}] points to something that is probably in ${unreachableNames(unreachable)}`);
        return undefined;
      }
      if (!target) {
        problems.error(`!reference [${node.path.join(', ')}] points to nothing${referenceHint(root, node.path)}`, node.where);
        return undefined;
      }
      inProgress.add(node);
      const resolved = resolveNode(target, lists, owner);
      inProgress.delete(node);
      return resolved;
    }
    if (node.kind === 'seq') {
      const items: Located[] = [];
      for (const item of node.items) {
        if (item.kind === 'reference' && lists + 1 >= MAX_LIST_NESTING) {
          problems.error(`!reference [${item.path.join(', ')}] nests lists more than ${MAX_LIST_NESTING} levels deep (GitLab: script config should be a string or a nested array of strings up to ${MAX_LIST_NESTING} levels deep)`, item.where);
          items.push({ kind: 'scalar', value: '', where: item.where });
          continue;
        }
        const resolved = resolveNode(item, lists + 1, owner);
        // A reference inside a list splices its list in (`script: [!reference [.a, script], make]`).
        if (item.kind === 'reference' && resolved?.kind === 'seq') items.push(...resolved.items);
        else if (resolved) items.push(resolved);
        // A broken reference keeps a blank line in its place, so the list does not also look empty.
        else items.push({ kind: 'scalar', value: '', where: item.where });
      }
      return { ...node, items };
    }
    if (node.kind === 'map') {
      const entries: LocatedEntry[] = [];
      for (const e of node.entries) {
        const value = resolveNode(e.value, 0, node === root ? e.key : owner);
        if (value) entries.push({ ...e, value });
      }
      return { ...node, entries };
    }
    return node;
  };
  return resolveNode(root, 0) as LocatedMap;
}

/** "the unreachable include project a/b:x.yml", or "one of the 3 includes jobsim could not read". */
export function unreachableNames(unreachable: readonly string[]): string {
  if (unreachable.length === 1) return `the unreachable include ${unreachable[0]}`;
  return `one of the ${unreachable.length} includes jobsim could not read (see the warnings)`;
}

function lookup(root: LocatedMap, path: string[]): Located | undefined {
  let node: Located | undefined = root;
  for (const key of path) {
    if (node?.kind !== 'map') return undefined;
    node = get(node, key);
  }
  return node;
}

function referenceHint(root: LocatedMap, path: string[]): string {
  const first = path[0] ?? '';
  if (!get(root, first)) return didYouMean(first, root.entries.map((e) => e.key), `; no top-level key "${first}"`);
  return '';
}

/** Deep merge as GitLab does for `extends`: mappings merge key by key, anything else is replaced. */
export function deepMerge(base: LocatedMap, over: LocatedMap): LocatedMap {
  const entries: LocatedEntry[] = base.entries.map((b) => {
    const o = over.entries.find((e) => e.key === b.key);
    if (!o) return b;
    if (b.value.kind === 'map' && o.value.kind === 'map') return { ...o, value: deepMerge(b.value, o.value) };
    return o;
  });
  for (const o of over.entries) if (!base.entries.some((b) => b.key === o.key)) entries.push(o);
  return { kind: 'map', entries, where: over.where };
}

/** Returns the root with every job's `extends` applied (and the `extends` key removed). */
export function applyExtends(
  root: LocatedMap,
  isJobKey: (key: string) => boolean,
  problems: Problems,
  unreachable: readonly string[] = [],
  /** Jobs whose `extends` names something missing while an include is unreachable → why (see resolveReferences). */
  incomplete = new Map<string, string>(),
): { root: LocatedMap; broken: Map<string, string>; incomplete: Map<string, string> } {
  const done = new Map<string, LocatedMap>();
  /** Jobs whose `extends` chain failed, with the first error: reporting more about them would only repeat it. */
  const broken = new Map<string, string>();
  const keys = root.entries.map((e) => e.key);

  const expand = (name: string, trail: string[]): LocatedMap | undefined => {
    const cached = done.get(name);
    if (cached) return cached;
    const node = get(root, name);
    if (node?.kind !== 'map') return undefined;
    const extendsEntry = node.entries.find((e) => e.key === 'extends');
    if (!extendsEntry) {
      done.set(name, node);
      return node;
    }
    const own: LocatedMap = { ...node, entries: node.entries.filter((e) => e.key !== 'extends') };
    const bases = extendsNames(extendsEntry, name, problems);
    let merged: LocatedMap | undefined;
    const errorsBefore = problems.errors.length;
    for (const { base, where } of bases) {
      if (trail.includes(base) || base === name) {
        problems.error(`circular dependency detected in \`extends\`: ${[...trail, name, base].join(' → ')}`, where);
        continue;
      }
      if (trail.length + 1 >= MAX_EXTENDS_DEPTH) {
        problems.error(`\`extends\` is nested too deeply (limit ${MAX_EXTENDS_DEPTH} levels)`, where);
        continue;
      }
      const baseNode = get(root, base);
      if (!baseNode && unreachable.length > 0) {
        if (!incomplete.has(name)) incomplete.set(name, `extends "${base}", which is probably in ${unreachableNames(unreachable)}`);
        continue;
      }
      if (!baseNode) {
        problems.error(`job "${name}" extends unknown "${base}"${didYouMean(base, keys.filter((k) => k !== name))}`, where);
        continue;
      }
      if (baseNode.kind !== 'map') {
        problems.error(`job "${name}" extends "${base}", which is not a mapping`, where);
        continue;
      }
      const expanded = expand(base, [...trail, name]);
      const baseProblem = broken.get(base);
      if (baseProblem !== undefined && !broken.has(name)) broken.set(name, baseProblem);
      const baseIncomplete = incomplete.get(base);
      if (baseIncomplete !== undefined && !incomplete.has(name)) incomplete.set(name, baseIncomplete);
      if (expanded) merged = merged ? deepMerge(merged, expanded) : expanded;
    }
    if (problems.errors.length > errorsBefore && !broken.has(name)) broken.set(name, problems.errors[errorsBefore]!.message);
    const result = merged ? deepMerge(merged, own) : own;
    done.set(name, result);
    return result;
  };

  const entries = root.entries.map((e) => {
    if (!isJobKey(e.key) || e.value.kind !== 'map') return e;
    return { ...e, value: expand(e.key, []) ?? e.value };
  });
  return { root: { ...root, entries }, broken, incomplete };
}

function extendsNames(entry: LocatedEntry, job: string, problems: Problems): { base: string; where: LocatedEntry['keyWhere'] }[] {
  const value = entry.value;
  const items = value.kind === 'seq' ? value.items : [value];
  const out: { base: string; where: LocatedEntry['keyWhere'] }[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && typeof item.value === 'string') out.push({ base: item.value, where: item.where });
    else problems.error(`job "${job}": extends should be a job name or a list of job names`, item.where);
  }
  return out;
}
