// `include:local`: a path in the project, with GitLab's wildcards. GitLab turns the path into a regular
// expression (`**` → any characters, `*` → any characters but `/`, everything else literal) and matches it
// against every file of the repository, so `configs/**.yml` reaches every subfolder and `configs/**/*.yml`
// only the subfolders (Repository#search_files_by_wildcard_path).

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceLocation } from '../../shared/plan.js';
import { outsideMessage, resolveInProject } from './inside-project.js';
import type { Problems } from './problems.js';
import type { ProjectFiles } from './project-glob.js';
import { MAX_FILE_BYTES } from './yaml-source.js';

export const YAML_EXTENSION = /.+\.(yml|yaml)$/i;

export function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*?').replace(/\u0000/g, '.*?')}$`);
}

/** The project files a local include names: one path, or every match of a wildcard path. */
export async function localPaths(written: string, where: SourceLocation, projectDir: string, files: ProjectFiles, problems: Problems): Promise<string[]> {
  // GitLab's blobs_at reads paths without the leading `/`; jobsim also strips it before matching a wildcard.
  const relative = written.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  if (relative.split('/').includes('..')) {
    problems.error(`include:local "${written}" is outside the project directory`, where);
    return [];
  }
  if (!relative.includes('*')) return [relative];
  const pattern = wildcardRegExp(relative);
  const found: string[] = [];
  for (const path of files.match(['**'])) {
    if (!pattern.test(path)) continue;
    if ((await stat(join(projectDir, path)).catch(() => undefined))?.isFile()) found.push(path);
  }
  if (found.length === 0) problems.warn(`include:local "${written}" matches no file`, where);
  return found;
}

/** The file's text, or undefined after reporting GitLab's error for it. */
export async function readLocalInclude(path: string, where: SourceLocation, projectDir: string, problems: Problems): Promise<string | undefined> {
  if (!YAML_EXTENSION.test(path.split('/').at(-1) ?? '')) {
    problems.error(`Included file \`${path}\` does not have YAML extension!`, where);
    return undefined;
  }
  const resolved = resolveInProject(projectDir, path);
  if (resolved.kind === 'outside') {
    problems.error(outsideMessage('include:local', path, resolved.real), where);
    return undefined;
  }
  const info = resolved.kind === 'inside' ? await stat(resolved.real).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    problems.error(`Local file \`${path}\` does not exist!`, where);
    return undefined;
  }
  if (info.size > MAX_FILE_BYTES) {
    problems.error(`included file ${path} is too large (the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)`, where);
    return undefined;
  }
  const text = await readFile(resolved.kind === 'inside' ? resolved.real : path, 'utf8');
  if (text.trim() === '') {
    problems.error(`Local file \`${path}\` is empty!`, where);
    return undefined;
  }
  return text;
}
