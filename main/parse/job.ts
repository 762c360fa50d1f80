// One job's located mapping (extends and !reference already applied) → a JobPlan.

import type { AllowFailure, ContainerSettings, ImagePlan, JobPlan, JobWhen, ParallelInstance, SourceLocation } from '../../shared/plan.js';
import { allowFailureOf } from './allow-failure.js';
import { readArtifacts, readCaches, type PathContext } from './cache-artifacts.js';
import { readOneOf, readScript, readString, readStringList } from './fields.js';
import { imageForJobWithout, readImage, readServices, runnerService, type ImageContext } from './images.js';
import { DEFAULT_TIMEOUT_MS, readAllowFailure, readDependencies, readNeeds, readTimeout, stageNodeOf, type WrittenNeed } from './job-fields.js';
import { readJobExtras } from './job-extras.js';
import { ALL_JOB_KEYWORDS, WARNED_JOB_KEYWORDS, isKnownJobKeyword } from './keywords.js';
import type { Located, LocatedMap } from './located.js';
import { get } from './located.js';
import { refPolicyDecision, readRefPolicy, simulatedRef } from './only-except.js';
import { instanceVariables, type JobInstance } from './parallel.js';
import { predefinedVariables, type PipelineFacts } from './predefined.js';
import type { Problems } from './problems.js';
import type { GitChanges } from './git-changes.js';
import type { ProjectFiles } from './project-glob.js';
import { JOB_WHEN, evaluateRules, readRules } from './rules.js';
import { nonDockerRunner } from './runner-kind.js';
import type { RunnerConfig } from './runner-types.js';
import { didYouMean } from './suggestions.js';
import { lookupIn, readVariables, resolveVariables, type RawVariable } from './variables.js';

export interface PipelineContext {
  facts: PipelineFacts;
  projectDir: string;
  /** The project's files, listed once per load for `rules:exists`. */
  files: ProjectFiles;
  /** What git says changed, for `rules:changes` and `only:changes`. */
  changes: GitChanges;
  runnerConfig: RunnerConfig;
  stages: string[];
  /** `default:` merged with the deprecated top-level image/services/... keywords. */
  defaults: LocatedMap;
  globalVariables: RawVariable[];
  cliVariables: RawVariable[];
  secretVariables: RawVariable[];
  /** `--default-image`: for jobs without an image when the runner config has none. */
  defaultImage?: string;
  problems: Problems;
}

/** The job plus what must be checked once every job is known. */
export interface BuiltJob {
  plan: JobPlan;
  writtenNeeds: WrittenNeed[] | null;
  dependencyWheres: SourceLocation[];
}

/** `instance`: when the written job has `parallel:`, the one of its instances to build. */
export function buildJob(name: string, where: SourceLocation, map: LocatedMap, index: number, ctx: PipelineContext, instance?: JobInstance): BuiltJob {
  const { problems } = ctx;
  const hadUnknownKeys = checkKeys(name, map, problems);
  const inherit = readInherit(name, get(map, 'inherit'), problems);
  const isTrigger = get(map, 'trigger') !== undefined;
  // A trigger job inherits only `interruptible` from `default:` (GitLab's Bridge entry).
  const fromJobOrDefault = (key: string): Located | undefined => get(map, key) ?? (inherit.default(key) && (!isTrigger || key === 'interruptible') ? get(ctx.defaults, key) : undefined);

  const stageNode = stageNodeOf(name, map, problems);
  const stage = (stageNode && readString(stageNode, `job "${name}": stage`, problems)) ?? 'test';
  let stageIndex = ctx.stages.indexOf(stage);
  if (stageIndex < 0) {
    problems.error(`job "${name}": chosen stage "${stage}" does not exist (stages: ${ctx.stages.join(', ')})${didYouMean(stage, ctx.stages)}`, stageNode?.where ?? where);
    stageIndex = 0;
  }

  const timeoutNode = fromJobOrDefault('timeout');
  const timeoutMs = (timeoutNode && readTimeout(timeoutNode, name, problems)) ?? DEFAULT_TIMEOUT_MS;

  const runner = ctx.runnerConfig.runner;
  const jobVariablesNode = get(map, 'variables');
  const jobVariables = jobVariablesNode ? readVariables(jobVariablesNode, 'job', `job "${name}": variables`, problems) : [];
  if (instance) jobVariables.push(...instanceVariables(instance, where));
  const runnerVariables: RawVariable[] = ctx.runnerConfig.environment.map((e) => ({ key: e.key, value: e.value, source: 'runner', masked: false, expand: true }));
  const globals = ctx.globalVariables.filter((v) => inherit.variable(v.key));
  const rawWithout = (imageName: string, extra: RawVariable[]): RawVariable[] => [
    ...predefinedVariables(ctx.facts, { name, stage, index, imageName, timeoutMs }),
    ...runnerVariables, ...globals, ...jobVariables, ...extra, ...ctx.cliVariables, ...ctx.secretVariables,
  ];

  // Rules see every variable but CI_JOB_IMAGE (which may itself depend on variables).
  const rulesNode = get(map, 'rules');
  const rules = rulesNode ? readRules(rulesNode, `job "${name}"`, problems) : [];
  const outcome = rulesNode ? evaluateRules(rules, lookupIn(resolveVariables(rawWithout('', []))), ctx) : undefined;
  const ruleVariables = outcome?.variables ?? [];
  const lookup = lookupIn(resolveVariables(rawWithout('', ruleVariables)));
  const excludedBy = onlyExceptExclusion(name, map, rulesNode !== undefined, ctx, lookup);

  const imageCtx: ImageContext = { job: name, runner, runnerSetPullPolicy: runner.file !== undefined, lookup, problems };
  const imageNode = isTrigger ? undefined : fromJobOrDefault('image');
  const runnerBlock = isTrigger ? undefined : nonDockerRunner(fromJobOrDefault('tags'), imageNode, lookup);
  if (runnerBlock) problems.blockJob(name, runnerBlock);
  const image = imageNode ? readImage(imageNode, imageCtx) : isTrigger ? undefined : imageForJobWithout(imageCtx, ctx.defaultImage, where);
  if (image?.entrypoint !== undefined && ctx.runnerConfig.docker.disableEntrypointOverwrite) {
    problems.warn(`job "${name}": image:entrypoint is ignored because the runner config sets disable_entrypoint_overwrite`, image.where);
  }
  const variables = resolveVariables(rawWithout(image?.ref.written ?? '', ruleVariables));
  const expandedLookup = lookupIn(variables);

  const servicesNode = fromJobOrDefault('services');
  const jobVariablesForServices = rawWithout(image?.ref.written ?? '', ruleVariables);
  const services = servicesNode ? readServices(servicesNode, { ...imageCtx, lookup: expandedLookup }, jobVariablesForServices) : [];
  for (const s of ctx.runnerConfig.services) {
    const service = runnerService(s.name, s.alias, { ...imageCtx, lookup: expandedLookup }, { file: runner.file ?? '(runner config)', line: 1, col: 1 });
    if (service) services.push(service);
  }

  const projectDirInContainer = ctx.facts.projectDirInContainer;
  const pathCtx: PathContext = { job: name, lookup: expandedLookup, projectDirInContainer, problems };
  const cacheNode = fromJobOrDefault('cache');
  const artifactsNode = fromJobOrDefault('artifacts');
  const needsNode = get(map, 'needs');
  const writtenNeeds = outcome?.needs ?? (needsNode ? readNeeds(needsNode, name, problems) ?? null : null);
  const depsNode = get(map, 'dependencies');
  const deps = depsNode ? readDependencies(depsNode, name, problems) : undefined;

  const scriptNode = get(map, 'script');
  const script = scriptNode ? readScript(scriptNode, `job "${name}": script`, problems) : [];
  if (scriptNode && script?.length === 0) problems.error(`job "${name}": script can't be blank`, scriptNode.where);
  if (!scriptNode && !hadUnknownKeys && !isTrigger) problems.error(`job "${name}" config should implement the script: keyword`, where);

  const whenNode = get(map, 'when');
  const writtenWhen = whenNode ? readWhen(whenNode, name, problems) : undefined;
  const allowNode = get(map, 'allow_failure');
  const writtenAllow = allowNode ? readAllowFailure(allowNode, `job "${name}"`, problems) : undefined;
  const when: JobWhen = excludedBy ? 'never' : outcome ? outcome.when ?? writtenWhen ?? 'on_success' : writtenWhen ?? 'on_success';
  const allowFailure: AllowFailure = allowFailureOf(writtenAllow, writtenWhen, outcome);

  const plan: JobPlan = {
    name,
    ...(instance ? { parallel: parallelOf(instance) } : {}),
    ...(excludedBy ? { excludedBy } : {}),
    stage,
    stageIndex,
    image: image ?? placeholderImage(where),
    services,
    beforeScript: inheritedScript(fromJobOrDefault('before_script'), 'before_script', name, problems),
    script: script ?? [],
    afterScript: inheritedScript(fromJobOrDefault('after_script'), 'after_script', name, problems),
    variables,
    caches: cacheNode ? readCaches(cacheNode, pathCtx) : [],
    ...(artifactsNode ? withArtifacts(readArtifacts(artifactsNode, pathCtx)) : {}),
    needs: writtenNeeds ? writtenNeeds.map(({ job, artifacts, optional }) => ({ job, artifacts, optional })) : null,
    dependencies: deps?.names ?? null,
    when,
    allowFailure,
    timeoutMs,
    ...readJobExtras({ job: name, map, fromJobOrDefault, variables, writtenWhen, rules: outcome, problems }),
    projectDirInContainer,
    docker: containerSettings(ctx.runnerConfig.docker, image),
    where,
  };
  return { plan, writtenNeeds, dependencyWheres: deps?.where ?? [] };
}

/** `only`/`except` (not together with `rules`, as GitLab): the reason the job is left out, if it is. */
function onlyExceptExclusion(name: string, map: LocatedMap, hasRules: boolean, ctx: PipelineContext, lookup: (key: string) => string | undefined): string | undefined {
  const onlyEntry = map.entries.find((e) => e.key === 'only');
  const exceptEntry = map.entries.find((e) => e.key === 'except');
  if (hasRules) {
    for (const e of [onlyEntry, exceptEntry]) if (e) ctx.problems.error(`job "${name}": ${e.key} may not be used with rules (use one or the other)`, e.keyWhere);
    return undefined;
  }
  const only = onlyEntry ? readRefPolicy(onlyEntry.value, `job "${name}": only`, ctx.problems) : undefined;
  const except = exceptEntry ? readRefPolicy(exceptEntry.value, `job "${name}": except`, ctx.problems) : undefined;
  const decision = refPolicyDecision(only, except, simulatedRef(ctx.facts), lookup, (where) => ctx.changes.changed(undefined, where));
  return decision.included ? undefined : decision.reason;
}

function parallelOf(instance: JobInstance): ParallelInstance {
  return { job: instance.job, index: instance.index, total: instance.total, matrix: instance.matrix.map(([key, value]) => ({ key, value })) };
}

/** GitLab's Entry::Job: `never` exists only in rules (a delayed trigger job is refused in job-extras.ts). */
const JOB_LEVEL_WHEN: readonly JobWhen[] = JOB_WHEN.filter((w) => w !== 'never');

function readWhen(node: Located, job: string, problems: Problems): JobWhen | undefined {
  if (node.kind === 'scalar' && node.value === 'never') {
    problems.error(`job "${job}": when should be one of ${JOB_LEVEL_WHEN.join(', ')}, not "never" (GitLab accepts when: never only in rules; to leave the job out, write rules: [{when: never}])`, node.where);
    return undefined;
  }
  return readOneOf<JobWhen>(node, `job "${job}": when`, JOB_LEVEL_WHEN, problems);
}

function withArtifacts(artifacts: JobPlan['artifacts']): Pick<JobPlan, 'artifacts'> {
  return artifacts ? { artifacts } : {};
}

/** `image:docker:user` fills `user` only when the runner config has none. */
function containerSettings(runnerDocker: ContainerSettings, image: ImagePlan | undefined): ContainerSettings {
  if (runnerDocker.user !== undefined || image?.user === undefined) return runnerDocker;
  return { ...runnerDocker, user: image.user };
}

/** For a job that cannot run here (blocked, with its reason) or after an error (loadPipeline then throws). */
function placeholderImage(where: SourceLocation): ImagePlan {
  return {
    ref: { written: '', normalized: '', registry: '', repository: '', isImageId: false },
    pull: { policies: ['always'], source: 'default', allowed: ['always'], allowedSource: 'default' },
    where,
  };
}

function inheritedScript(node: Located | undefined, key: string, job: string, problems: Problems): string[] {
  return node ? readScript(node, `job "${job}": ${key}`, problems) ?? [] : [];
}

/** Returns whether an unknown keyword was reported. */
function checkKeys(name: string, map: LocatedMap, problems: Problems): boolean {
  let unknown = false;
  for (const { key, keyWhere } of map.entries) {
    if (key in WARNED_JOB_KEYWORDS) problems.warn(`job "${name}": ${WARNED_JOB_KEYWORDS[key]}`, keyWhere);
    else if (!isKnownJobKeyword(key)) {
      problems.error(`job "${name}": unknown keyword "${key}"${didYouMean(key, ALL_JOB_KEYWORDS)}`, keyWhere);
      unknown = true;
    }
  }
  return unknown;
}

interface Inherit {
  default: (key: string) => boolean;
  variable: (key: string) => boolean;
}

/** `inherit: {default: false | [keys], variables: false | [names]}`. */
function readInherit(job: string, node: Located | undefined, problems: Problems): Inherit {
  const all: Inherit = { default: () => true, variable: () => true };
  if (!node) return all;
  if (node.kind !== 'map') {
    problems.error(`job "${job}": inherit should be a mapping (default, variables)`, node.where);
    return all;
  }
  const choose = (value: Located, what: string): ((key: string) => boolean) => {
    if (value.kind === 'scalar' && typeof value.value === 'boolean') {
      const flag = value.value;
      return () => flag;
    }
    const list = readStringList(value, `job "${job}": inherit:${what}`, problems) ?? [];
    return (key) => list.includes(key);
  };
  const result = { ...all };
  for (const e of node.entries) {
    if (e.key === 'default') result.default = choose(e.value, 'default');
    else if (e.key === 'variables') result.variable = choose(e.value, 'variables');
    else problems.error(`job "${job}": inherit has unknown key "${e.key}" (allowed: default, variables)`, e.keyWhere);
  }
  return result;
}
