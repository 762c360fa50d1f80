// `image:` and `services:` (string or mapping), with pull policies merged the GitLab Runner way:
// the job file's `pull_policy` beats config.toml's, which beats the default `always`.

import type { ImagePlan, PullPlan, PullPolicy, RunnerPlan, ServicePlan, SourceLocation } from '../../shared/plan.js';
import { InvalidImageRefError, parseImageRef } from '../../shared/image-ref.js';
import { deriveServiceAliases, splitCustomAliases } from '../../shared/service-aliases.js';
import { flattenItems, readString, readStringList } from './fields.js';
import type { Located } from './located.js';
import type { Problems } from './problems.js';
import { unknownKeyMessage } from './suggestions.js';
import { expandText, readVariables, resolveVariables, type RawVariable } from './variables.js';

const PULL_POLICIES: readonly PullPolicy[] = ['always', 'if-not-present', 'never'];
const IMAGE_KEYS = ['name', 'entrypoint', 'pull_policy', 'docker', 'kubernetes'];
const SERVICE_KEYS = ['name', 'alias', 'entrypoint', 'command', 'variables', 'pull_policy', 'docker', 'kubernetes'];

export interface ImageContext {
  job: string;
  runner: RunnerPlan;
  /** Whether config.toml set `pull_policy` (vs. the built-in default). */
  runnerSetPullPolicy: boolean;
  lookup: (name: string) => string | undefined;
  problems: Problems;
}

/** Validates a `pull_policy` value (string or list) with GitLab's message for unknown values. */
export function readPullPolicies(node: Located, ctx: Pick<ImageContext, 'job' | 'problems'>): PullPolicy[] | undefined {
  const values = readStringList(node, `job "${ctx.job}": pull_policy`, ctx.problems);
  if (!values) return undefined;
  const out: PullPolicy[] = [];
  for (const value of values) {
    if ((PULL_POLICIES as readonly string[]).includes(value)) out.push(value as PullPolicy);
    else ctx.problems.error(`unsupported pull_policy config: "${value}"`, node.where);
  }
  return out.length > 0 ? out : undefined;
}

export function pullPlan(fromJob: PullPolicy[] | undefined, ctx: Pick<ImageContext, 'runner' | 'runnerSetPullPolicy'>): PullPlan {
  const runner = ctx.runner;
  // The runner plan always holds lists (GitLab's defaults filled in); a list that differs from the
  // default can only have come from config.toml.
  const runnerPolicies = ctx.runnerSetPullPolicy && !sameList(runner.pullPolicy, ['always']) ? runner.pullPolicy : undefined;
  const allowed = runner.allowedPullPolicies.length > 0 ? runner.allowedPullPolicies : runner.pullPolicy;
  return {
    policies: fromJob ?? runnerPolicies ?? ['always'],
    source: fromJob ? 'job-file' : runnerPolicies ? 'runner-config' : 'default',
    allowed,
    allowedSource: ctx.runnerSetPullPolicy && !sameList(allowed, runner.pullPolicy) ? 'runner-config' : 'default',
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface ImageParts {
  name: string;
  nameWhere: SourceLocation;
  entrypoint?: string[];
  command?: string[];
  pull?: PullPolicy[];
  user?: string;
}

function readImageParts(node: Located, what: string, allowedKeys: string[], ctx: ImageContext): (ImageParts & { map?: Extract<Located, { kind: 'map' }> }) | undefined {
  const { job, problems } = ctx;
  if (node.kind !== 'map') {
    const name = readString(node, `job "${job}": ${what}`, problems);
    return name === undefined ? undefined : { name, nameWhere: node.where };
  }
  const parts: Partial<ImageParts> = {};
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'name') {
      parts.name = readString(value, `job "${job}": ${what}:name`, problems);
      parts.nameWhere = value.where;
    } else if (key === 'entrypoint') parts.entrypoint = readCommand(value, `${what}:entrypoint`, ctx);
    else if (key === 'command') parts.command = readCommand(value, `${what}:command`, ctx);
    else if (key === 'pull_policy') parts.pull = readPullPolicies(value, ctx);
    else if (key === 'docker') {
      if (value.kind !== 'map') problems.error(`job "${job}": ${what}:docker should be a mapping (user, platform)`, value.where);
      else {
        for (const d of value.entries) {
          if (d.key === 'user') parts.user = readString(d.value, `job "${job}": ${what}:docker:user`, problems);
          else if (d.key === 'platform') problems.warn(`job "${job}": ${what}:docker:platform is not implemented; the engine's default platform is used`, d.keyWhere);
          else problems.error(`job "${job}": ${what}:docker has unknown key "${d.key}" (allowed: user, platform)`, d.keyWhere);
        }
      }
    } else if (key === 'kubernetes') problems.warn(`job "${job}": ${what}:kubernetes is ignored (jobsim uses Docker)`, keyWhere);
    else if (!allowedKeys.includes(key)) {
      problems.error(unknownKeyMessage(`job "${job}"`, what, key, allowedKeys), keyWhere);
    }
  }
  if (parts.name === undefined) {
    problems.error(`job "${job}": ${what} needs a name`, node.where);
    return undefined;
  }
  return { ...(parts as ImageParts), nameWhere: parts.nameWhere ?? node.where, map: node };
}

/** `entrypoint: [""]` clears the image's ENTRYPOINT; a string is one argument. */
function readCommand(node: Located, what: string, ctx: ImageContext): string[] | undefined {
  const values = readStringList(node, `job "${ctx.job}": ${what}`, ctx.problems);
  if (!values) return undefined;
  return values.length === 1 && values[0] === '' ? [] : values;
}

function toImagePlan(parts: ImageParts, ctx: ImageContext, what: string): ImagePlan | undefined {
  // A variable unset here may still be set on a server or by a dotenv report: that job cannot run here,
  // but the file is fine.
  const unset = unsetVariables(parts.name, ctx.lookup);
  if (unset.length > 0) {
    const names = unset.map((n) => `$${n}`).join(', ');
    const message = `${what} "${parts.name}" uses ${names}, which ${unset.length === 1 ? 'is' : 'are'} not set here (a server or a dotenv report may set ${unset.length === 1 ? 'it' : 'them'}); set ${unset.length === 1 ? 'it' : 'them'} with --var ${unset[0]}=VALUE`;
    ctx.problems.blockJob(ctx.job, { kind: 'broken', message, where: parts.nameWhere });
    return undefined;
  }
  const written = expandText(parts.name, ctx.lookup).trim();
  try {
    const ref = parseImageRef(written);
    return {
      ref,
      ...(parts.entrypoint !== undefined ? { entrypoint: parts.entrypoint } : {}),
      ...(parts.user !== undefined ? { user: parts.user } : {}),
      pull: pullPlan(parts.pull, ctx),
      where: parts.nameWhere,
    };
  } catch (error) {
    if (!(error instanceof InvalidImageRefError)) throw error;
    if (validWithoutVariables(parts.name)) {
      ctx.problems.blockJob(ctx.job, { kind: 'broken', message: `${what} "${parts.name}" expands to an ${error.message}`, where: parts.nameWhere });
    } else ctx.problems.error(`job "${ctx.job}": ${error.message}`, parts.nameWhere);
    return undefined;
  }
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Whether an image name is invalid only because of what its variables expanded to. */
function validWithoutVariables(name: string): boolean {
  if (!name.includes('$')) return false;
  try {
    parseImageRef(name.replace(VARIABLE, (m) => (m === '$$' ? '$' : 'x')).trim());
    return true;
  } catch {
    return false;
  }
}

/** The names a text uses (`$VAR`, `${VAR}`; `$$` is a literal `$`) that have no value. */
export function unsetVariables(text: string, lookup: (name: string) => string | undefined): string[] {
  const names = [...text.matchAll(VARIABLE)].flatMap((m) => (m[0] === '$$' ? [] : [(m[1] ?? m[2])!]));
  return [...new Set(names.filter((name) => lookup(name) === undefined))];
}

export function readImage(node: Located, ctx: ImageContext): ImagePlan | undefined {
  const parts = readImageParts(node, 'image', IMAGE_KEYS, ctx);
  return parts ? toImagePlan(parts, ctx, 'image') : undefined;
}

/** The runner's `[runners.docker] image` when a job has no image. */
export function runnerDefaultImage(name: string, ctx: ImageContext, where: SourceLocation): ImagePlan | undefined {
  return toImagePlan({ name, nameWhere: where }, ctx, 'the runner\'s image');
}

/**
 * A job without `image:` (and no `default:image`): the runner's image as GitLab Runner's Docker executor
 * does, else `--default-image`; without either the job needs an image (it is listed, not run).
 */
export function imageForJobWithout(ctx: ImageContext, cliDefault: string | undefined, jobWhere: SourceLocation): ImagePlan | undefined {
  const { runner } = ctx;
  if (runner.defaultImage) return runnerDefaultImage(runner.defaultImage, ctx, { file: runner.file ?? '(runner config)', line: 1, col: 1 });
  if (cliDefault) return toImagePlan({ name: cliDefault, nameWhere: jobWhere }, ctx, '--default-image');
  ctx.problems.blockJob(ctx.job, {
    kind: 'needs-image',
    message: 'has no image: set `image:` in the job or in `default:`, `image` in the runner config ([runners.docker]), or pass --default-image REF',
  });
  return undefined;
}

export function readServices(node: Located, ctx: ImageContext, jobVariables: RawVariable[]): ServicePlan[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'seq') {
    ctx.problems.error(`job "${ctx.job}": services should be a list`, node.where);
    return [];
  }
  const services: ServicePlan[] = [];
  for (const item of flattenItems(node)) {
    const parts = readImageParts(item, 'services', SERVICE_KEYS, ctx);
    if (!parts) continue;
    const image = toImagePlan(parts, ctx, 'services');
    if (!image) continue;
    const aliasNode = parts.map?.entries.find((e) => e.key === 'alias')?.value;
    const aliasText = aliasNode ? readString(aliasNode, `job "${ctx.job}": services:alias`, ctx.problems) : undefined;
    const variablesNode = parts.map?.entries.find((e) => e.key === 'variables')?.value;
    const own = variablesNode ? readVariables(variablesNode, 'service', `job "${ctx.job}": services:variables`, ctx.problems) : [];
    services.push(servicePlan(image, parts, aliasText, own, jobVariables));
  }
  return services;
}

/** A service from config.toml's `[[runners.docker.services]]`. */
export function runnerService(name: string, alias: string | undefined, ctx: ImageContext, where: SourceLocation): ServicePlan | undefined {
  const parts: ImageParts = { name, nameWhere: where };
  const image = toImagePlan(parts, ctx, 'the runner\'s service');
  return image ? servicePlan(image, parts, alias, [], []) : undefined;
}

function servicePlan(image: ImagePlan, parts: ImageParts, alias: string | undefined, own: RawVariable[], jobVariables: RawVariable[]): ServicePlan {
  const derivedAliases = deriveServiceAliases(image.ref.written);
  const customAliases = alias ? splitCustomAliases(alias) : [];
  // Service variables may use the job's variables; only the service's own ones are listed.
  const ownKeys = new Set(own.map((v) => v.key));
  const resolved = resolveVariables([...jobVariables.filter((v) => !v.masked), ...own]).filter((v) => ownKeys.has(v.key));
  return {
    name: image.ref.written,
    image,
    aliases: [...new Set([...derivedAliases, ...customAliases])],
    derivedAliases,
    customAliases,
    ...(parts.entrypoint !== undefined ? { entrypoint: parts.entrypoint } : {}),
    ...(parts.command !== undefined ? { command: parts.command } : {}),
    variables: resolved.map((v) => ({ ...v, source: 'service' })),
    where: parts.nameWhere,
  };
}
