// `cache:` and `artifacts:`. Paths are expanded with the job's variables, made relative to the
// project dir, and rejected when they would escape it.

import { posix } from 'node:path';
import type { ArtifactsPlan, ArtifactsWhen, CacheKeySpec, CachePlan, CachePolicy, CacheWhen } from '../../shared/plan.js';
import { parseDuration } from '../../shared/duration.js';
import { flattenItems, readBoolean, readOneOf, readString, readStringList } from './fields.js';
import type { Located, LocatedMap } from './located.js';
import type { Problems } from './problems.js';
import { readReports } from './reports.js';
import { unknownKeyMessage } from './suggestions.js';
import { expandText } from './variables.js';

const CACHE_KEYS = ['key', 'paths', 'untracked', 'policy', 'when', 'fallback_keys', 'unprotect'];
const ARTIFACTS_KEYS = ['paths', 'exclude', 'untracked', 'when', 'expire_in', 'name', 'reports'];
const ARTIFACTS_WARNED = ['expose_as', 'public', 'access'];

export interface PathContext {
  job: string;
  lookup: (name: string) => string | undefined;
  projectDirInContainer: string;
  problems: Problems;
}

/** Expands and checks one path; returns it relative to the project dir, or undefined when it escapes. */
export function projectRelativePath(written: string, what: string, where: Located['where'], ctx: PathContext): string | undefined {
  // `\` separates too (Windows jobs write `$CI_PROJECT_DIR\.cache\`).
  let path = expandText(written, ctx.lookup).replace(/\\/g, '/');
  const root = ctx.projectDirInContainer;
  if (path === root || path === `${root}/`) path = '.';
  else if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  const normalized = posix.normalize(path);
  if (posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized) || normalized === '..' || normalized.startsWith('../')) {
    ctx.problems.error(`job "${ctx.job}": ${what} "${written}" is outside the project directory; use a path inside it`, where);
    return undefined;
  }
  return normalized.replace(/\/$/, '') || '.';
}

function readPaths(node: Located, what: string, ctx: PathContext): string[] {
  const written = readStringList(node, `job "${ctx.job}": ${what}`, ctx.problems) ?? [];
  const wheres = node.kind === 'seq' ? node.items.map((i) => i.where) : written.map(() => node.where);
  return written.flatMap((p, i) => projectRelativePath(p, what, wheres[i] ?? node.where, ctx) ?? []);
}

export function readCaches(node: Located, ctx: PathContext): CachePlan[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  // GitLab counts the list as written, then flattens nested lists into more caches.
  if (node.kind === 'seq' && node.items.length > 4) ctx.problems.error(`job "${ctx.job}": at most 4 caches per job (GitLab's limit)`, node.where);
  const items = node.kind === 'seq' ? flattenItems(node) : [node];
  const caches: CachePlan[] = [];
  for (const item of items) {
    if (item.kind !== 'map') {
      ctx.problems.error(`job "${ctx.job}": cache should be a mapping (key, paths, policy, ...)`, item.where);
      continue;
    }
    caches.push(readCache(item, ctx));
  }
  return caches;
}

function readCache(map: LocatedMap, ctx: PathContext): CachePlan {
  const { job, problems } = ctx;
  const cache: CachePlan = { key: { kind: 'literal', value: 'default' }, paths: [], untracked: false, policy: 'pull-push', when: 'on_success', fallbackKeys: [], where: map.where };
  for (const { key, keyWhere, value } of map.entries) {
    if (key === 'key') cache.key = readCacheKey(value, ctx) ?? cache.key;
    else if (key === 'paths') cache.paths = readPaths(value, 'cache:paths', ctx);
    else if (key === 'untracked') cache.untracked = readBoolean(value, `job "${job}": cache:untracked`, problems) ?? false;
    else if (key === 'policy') {
      const written = readString(value, `job "${job}": cache:policy`, problems);
      const policy = written === undefined ? undefined : expandText(written, ctx.lookup);
      if (policy === 'pull' || policy === 'push' || policy === 'pull-push') cache.policy = policy satisfies CachePolicy;
      else if (policy !== undefined) problems.error(`job "${job}": cache:policy should be one of pull, push, pull-push, not "${policy}"`, value.where);
    } else if (key === 'when') cache.when = readOneOf<CacheWhen>(value, `job "${job}": cache:when`, ['on_success', 'on_failure', 'always'], problems) ?? 'on_success';
    else if (key === 'fallback_keys') {
      cache.fallbackKeys = (readStringList(value, `job "${job}": cache:fallback_keys`, problems) ?? []).map((k) => expandText(k, ctx.lookup));
    } else if (key === 'unprotect') problems.warn(`job "${job}": cache:unprotect has no meaning locally; ignored`, keyWhere);
    else problems.error(unknownKeyMessage(`job "${job}"`, 'cache', key, CACHE_KEYS), keyWhere);
  }
  return cache;
}

function readCacheKey(node: Located, ctx: PathContext): CacheKeySpec | undefined {
  const { job, problems } = ctx;
  if (node.kind === 'map') {
    let files: string[] = [];
    let prefix: string | undefined;
    for (const { key, keyWhere, value } of node.entries) {
      if (key === 'files') {
        files = readPaths(value, 'cache:key:files', ctx);
        if (files.length === 0 || files.length > 2) problems.error(`job "${job}": cache:key:files needs one or two files`, value.where);
      } else if (key === 'prefix') {
        const written = readString(value, `job "${job}": cache:key:prefix`, problems);
        prefix = written === undefined ? undefined : expandText(written, ctx.lookup);
      } else problems.error(unknownKeyMessage(`job "${job}"`, 'cache:key', key, ['files', 'prefix']), keyWhere);
    }
    return { kind: 'files', files, ...(prefix !== undefined ? { prefix } : {}) };
  }
  const written = readString(node, `job "${job}": cache:key`, problems);
  if (written === undefined) return undefined;
  // GitLab checks the key as written (Entry::Key); the runner sanitizes it after expansion (docs/cache.md).
  const unescaped = cgiUnescape(written);
  if (unescaped.includes('/')) {
    problems.error(`job "${job}": cache:key "${written}" cannot contain the "/" character`, node.where);
    return undefined;
  }
  if (unescaped === '.' || unescaped === '..') {
    problems.error(`job "${job}": cache:key cannot be "." or ".."`, node.where);
    return undefined;
  }
  // An empty key makes the runner use `<job name>/<ref>`.
  const value = expandText(written === '' ? '${CI_JOB_NAME}/${CI_COMMIT_REF_NAME}' : written, ctx.lookup);
  return { kind: 'literal', value };
}

/** Ruby's CGI.unescape: `+` is a space, `%XX` a byte (UTF-8). */
function cgiUnescape(text: string): string {
  const bytes: number[] = [];
  const plain = text.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i += 1) {
    const hex = plain[i] === '%' ? /^[0-9a-fA-F]{2}/.exec(plain.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(plain[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function readArtifacts(node: Located, ctx: PathContext): ArtifactsPlan | undefined {
  const { job, problems } = ctx;
  if (node.kind !== 'map') {
    problems.error(`job "${job}": artifacts should be a mapping (paths, exclude, when, expire_in)`, node.where);
    return undefined;
  }
  const plan: ArtifactsPlan = { paths: [], exclude: [], untracked: false, when: 'on_success' };
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'paths') plan.paths = readPaths(value, 'artifacts:paths', ctx);
    else if (key === 'exclude') plan.exclude = readPaths(value, 'artifacts:exclude', ctx);
    else if (key === 'untracked') plan.untracked = readBoolean(value, `job "${job}": artifacts:untracked`, problems) ?? false;
    else if (key === 'when') plan.when = readOneOf<ArtifactsWhen>(value, `job "${job}": artifacts:when`, ['on_success', 'on_failure', 'always'], problems) ?? 'on_success';
    else if (key === 'name') {
      const name = readString(value, `job "${job}": artifacts:name`, problems);
      if (name !== undefined) plan.name = expandText(name, ctx.lookup);
    } else if (key === 'expire_in') {
      const text = readString(value, `job "${job}": artifacts:expire_in`, problems);
      if (text !== undefined) {
        plan.expireIn = text;
        const ms = text === 'never' ? undefined : safeDuration(text);
        if (ms !== undefined) plan.expireInMs = ms;
        else if (text !== 'never') problems.error(`job "${job}": artifacts:expire_in "${text}" is not a duration (e.g. 1 week, 3 days, 30m)`, value.where);
      }
    } else if (key === 'reports') plan.reports = readReports(value, job, (text) => expandText(text, ctx.lookup), problems) ?? [];
    else if (ARTIFACTS_WARNED.includes(key)) problems.warn(`job "${job}": artifacts:${key} is not implemented; ignored`, keyWhere);
    else problems.error(unknownKeyMessage(`job "${job}"`, 'artifacts', key, [...ARTIFACTS_KEYS, ...ARTIFACTS_WARNED]), keyWhere);
  }
  return plan;
}

function safeDuration(text: string): number | undefined {
  try {
    const ms = parseDuration(text);
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}
