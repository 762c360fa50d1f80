// `include:` — local files (with globs) are merged under the including file, which wins on
// conflicts (deep merge, as GitLab does). Remote, project, template and component includes
// cannot be fetched offline: they are reported as warnings.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readString } from './fields.js';
import { deepMerge } from './inheritance.js';
import type { Located, LocatedMap } from './located.js';
import { outsideMessage, resolveInProject } from './inside-project.js';
import { get } from './located.js';
import type { Problems } from './problems.js';
import type { ProjectFiles } from './project-glob.js';
import { readSourceFile } from './source-file.js';

const MAX_INCLUDES = 150;

export interface IncludeState {
  projectDir: string;
  files: ProjectFiles;
  seen: Set<string>;
  problems: Problems;
}

export async function applyIncludes(root: LocatedMap, state: IncludeState): Promise<LocatedMap> {
  const includeEntry = root.entries.find((e) => e.key === 'include');
  if (!includeEntry) return root;
  const own: LocatedMap = { ...root, entries: root.entries.filter((e) => e.key !== 'include') };
  let merged: LocatedMap | undefined;
  for (const path of await includedPaths(includeEntry.value, state)) {
    if (state.seen.has(path.file)) continue;
    state.seen.add(path.file);
    if (state.seen.size > MAX_INCLUDES) {
      state.problems.error(`too many included files (GitLab's limit is ${MAX_INCLUDES})`, path.where);
      break;
    }
    const tree = await readSourceFile(join(state.projectDir, path.file), path.file, state.problems);
    if (tree.kind !== 'map') {
      state.problems.error(`included file ${path.file} should contain a mapping of keywords and jobs`, tree.where);
      continue;
    }
    const expanded = await applyIncludes(tree, state);
    merged = merged ? deepMerge(merged, expanded) : expanded;
  }
  return merged ? deepMerge(merged, own) : own;
}

interface IncludePath {
  file: string;
  where: Located['where'];
}

async function includedPaths(node: Located, state: IncludeState): Promise<IncludePath[]> {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: IncludePath[] = [];
  for (const item of items) {
    let local: Located | undefined;
    if (item.kind === 'map') {
      local = get(item, 'local');
      if (!local) {
        const kind = item.entries[0]?.key ?? 'include';
        state.problems.warn(`include:${kind} is not supported offline; only include:local files are read`, item.where);
        continue;
      }
      for (const e of item.entries) {
        if (e.key !== 'local') state.problems.warn(`include:${e.key} is ignored`, e.keyWhere);
      }
    } else local = item;
    const written = readString(local, 'include', state.problems);
    if (written === undefined) continue;
    if (/^https?:\/\//.test(written)) {
      state.problems.warn(`include of a remote URL (${written}) is not supported offline; skipped`, local.where);
      continue;
    }
    out.push(...(await localMatches(written, local.where, state)));
  }
  return out;
}

async function localMatches(written: string, where: Located['where'], state: IncludeState): Promise<IncludePath[]> {
  const relative = written.replace(/^\/+/, '').replace(/^\.\//, '');
  if (relative.split('/').includes('..')) {
    state.problems.error(`include:local "${written}" is outside the project directory`, where);
    return [];
  }
  if (/[*?[{]/.test(relative)) {
    const files = state.files.match([relative]).filter((f) => /\.ya?ml$/.test(f));
    if (files.length === 0) state.problems.warn(`include:local "${written}" matches no file`, where);
    return files.filter((file) => insideOrRefused(file, file, where, state)).map((file) => ({ file, where }));
  }
  if (!existsSync(join(state.projectDir, relative))) {
    state.problems.error(`Local file \`${written}\` does not exist!`, where);
    return [];
  }
  return insideOrRefused(relative, written, where, state) ? [{ file: relative, where }] : [];
}

function insideOrRefused(file: string, written: string, where: Located['where'], state: IncludeState): boolean {
  const resolved = resolveInProject(state.projectDir, file);
  if (resolved.kind === 'outside') state.problems.error(outsideMessage('include:local', written, resolved.real), where);
  return resolved.kind === 'inside';
}
