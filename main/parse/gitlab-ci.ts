// A whole .gitlab-ci.yml (includes already merged) → stages and jobs.

import type { JobPlan, PipelinePlan } from '../../shared/plan.js';
import { readStringList } from './fields.js';
import { applyExtends, resolveReferences, unreachableNames } from './inheritance.js';
import { buildJob, type BuiltJob, type PipelineContext } from './job.js';
import { jobNameAllowed } from './job-name.js';
import { DEFAULT_KEYWORDS, DEFAULT_STAGES, GLOBAL_KEYWORDS } from './keywords.js';
import type { Located, LocatedEntry, LocatedMap } from './located.js';
import { Problems } from './problems.js';
import { get } from './located.js';
import { checkJobLinks, expandParallelLinks } from './needs.js';
import { readParallel } from './parallel.js';
import { didYouMean } from './suggestions.js';
import { readVariables, type RawVariable } from './variables.js';
import { applyWorkflow, type WorkflowResult } from './workflow.js';

export type GitlabContext = Omit<PipelineContext, 'stages' | 'defaults' | 'globalVariables'>;

const isGlobal = (key: string): boolean => (GLOBAL_KEYWORDS as readonly string[]).includes(key);
const isHidden = (key: string): boolean => key.startsWith('.');

/** `unreachable`: includes that could not be read; jobs that miss what they probably held are broken, not errors. */
export function buildGitlabPipeline(written: LocatedMap, ctx: GitlabContext, unreachable: readonly string[] = []): { stages: string[]; jobs: JobPlan[] } & Pick<PipelinePlan, 'name' | 'autoCancel'> {
  const { problems } = ctx;
  const incomplete = new Map<string, string>();
  // GitLab's order: `extends` first, then `!reference` tags (which may point into what extends brought).
  const extended = applyExtends(written, (key) => !isGlobal(key), problems, unreachable, incomplete);
  const root = resolveReferences(extended.root, problems, unreachable, incomplete);
  const broken = extended.broken;

  // `types:` is the deprecated name of `stages:`, used when there is no `stages:` (GitLab's Entry::Root).
  const stagesNode = get(root, 'stages') ?? get(root, 'types');
  const writtenStages = stagesNode ? readStages(stagesNode, problems) : undefined;
  // After a bad `stages:`, the defaults keep other messages about the jobs' stages meaningful.
  const stages = writtenStages ? withPrePost(writtenStages) : DEFAULT_STAGES;
  const variablesNode = get(root, 'variables');
  const globalVariables = variablesNode ? readVariables(variablesNode, 'global', 'variables', problems) : [];
  const defaults = readDefaults(root, ctx);
  const runnerVariables: RawVariable[] = ctx.runnerConfig.environment.map((e) => ({ ...e, source: 'runner', masked: false, expand: true }));
  const workflow = applyWorkflow(root, {
    facts: ctx.facts,
    files: ctx.files,
    changes: ctx.changes,
    variables: [...runnerVariables, ...globalVariables, ...ctx.cliVariables, ...ctx.secretVariables],
    problems,
  });
  globalVariables.push(...workflow.variables);

  const pipelineCtx: PipelineContext = { ...ctx, stages, defaults, globalVariables };
  const built: BuiltJob[] = [];
  /** Jobs with `parallel:` → the names of their instances. */
  const instancesOf = new Map<string, string[]>();
  for (const entry of root.entries) {
    if (isGlobal(entry.key) || isHidden(entry.key) || broken.has(entry.key)) continue;
    if (!jobNameAllowed(entry.key, entry.keyWhere, problems)) continue;
    if (unreachable.length > 0) noteIncomplete(entry, stages, unreachable, incomplete);
    // What an incomplete job lacks would only produce echoes of the unreachable include: it is built apart.
    const jobCtx = incomplete.has(entry.key) ? { ...pipelineCtx, problems: new Problems() } : pipelineCtx;
    if (entry.value.kind !== 'map' || (!get(entry.value, 'script') && !get(entry.value, 'trigger') && didYouMean(entry.key, [...GLOBAL_KEYWORDS]))) {
      jobCtx.problems.error(unknownTopLevel(entry), entry.keyWhere);
      continue;
    }
    const written = get(entry.value, 'parallel');
    // `parallel: null` (often over an extends that set it) means no parallel, as in GitLab.
    const parallelNode = written?.kind === 'scalar' && written.value === null ? undefined : written;
    if (!parallelNode) {
      built.push(buildJob(entry.key, entry.keyWhere, entry.value, built.length, jobCtx));
      continue;
    }
    const instances = readParallel(entry.key, parallelNode, jobCtx.problems) ?? [];
    instancesOf.set(entry.key, instances.map((instance) => instance.name));
    for (const instance of instances) built.push(buildJob(instance.name, entry.keyWhere, entry.value, built.length, jobCtx, instance));
  }
  expandParallelLinks(built, instancesOf);
  if (built.length === 0 && broken.size === 0 && unreachable.length === 0 && problems.errors.length === 0) {
    problems.error('jobs config should contain at least one visible job', root.where);
  }
  for (const b of built) b.plan = withBlock(b.plan, problems, incomplete);
  checkJobLinks(built, problems, broken, unreachable);
  const jobs = built.map((b) => withBlock(b.plan, problems, incomplete));
  return { stages, jobs, ...workflowFields(workflow) };
}

function workflowFields({ name, autoCancel }: WorkflowResult): Pick<PipelinePlan, 'name' | 'autoCancel'> {
  return { ...(name !== undefined ? { name } : {}), ...(autoCancel ? { autoCancel } : {}) };
}

/** A block recorded for the written job applies to each of its `parallel:` instances too. */
function withBlock(plan: JobPlan, problems: Problems, incomplete: ReadonlyMap<string, string>): JobPlan {
  const missing = incomplete.get(plan.parallel?.job ?? plan.name);
  if (missing !== undefined && plan.blocked?.kind !== 'broken') return { ...plan, blocked: { kind: 'broken', message: missing, where: plan.where } };
  const blocked = plan.blocked ?? problems.jobBlock(plan.name) ?? (plan.parallel ? problems.jobBlock(plan.parallel.job) : undefined);
  return blocked ? { ...plan, blocked } : plan;
}

/**
 * While an include is unreachable, a job with no script (GitLab merges same-named jobs across files) or a
 * stage no `stages:` here defines is probably completed by that include.
 */
function noteIncomplete(entry: LocatedEntry, stages: string[], unreachable: readonly string[], incomplete: Map<string, string>): void {
  if (entry.value.kind !== 'map' || incomplete.has(entry.key)) return;
  const stage = get(entry.value, 'stage');
  if (stage?.kind === 'scalar' && typeof stage.value === 'string' && !stages.includes(stage.value)) {
    incomplete.set(entry.key, `stage "${stage.value}" is not defined here; it is probably in the stages: of ${unreachableNames(unreachable)}`);
  } else if (!get(entry.value, 'script') && !get(entry.value, 'trigger')) {
    incomplete.set(entry.key, `the job has no script: here; the rest of it is probably in ${unreachableNames(unreachable)}`);
  }
}

function unknownTopLevel(entry: LocatedEntry): string {
  const hint = didYouMean(entry.key, [...GLOBAL_KEYWORDS]);
  if (hint) return `unknown keyword "${entry.key}"${hint}`;
  return `"${entry.key}" is neither a keyword nor a job (a job is a mapping with a script:)`;
}

function readStages(node: Located, problems: Problems): string[] | undefined {
  if (node.kind !== 'seq') {
    problems.error('stages should be a list of stage names, e.g. stages: [build, test]', node.where);
    return undefined;
  }
  return readStringList(node, 'stages', problems);
}

/** `.pre` always runs first and `.post` last, whatever `stages:` says. */
function withPrePost(stages: string[]): string[] {
  const middle = stages.filter((s) => s !== '.pre' && s !== '.post');
  return ['.pre', ...middle, '.post'];
}

/** `default:` plus the deprecated top-level image/services/... (default: wins when both are set). */
function readDefaults(root: LocatedMap, ctx: GitlabContext): LocatedMap {
  const { problems } = ctx;
  const node = get(root, 'default');
  const entries: LocatedEntry[] = [];
  if (node) {
    if (node.kind !== 'map') problems.error('default: should be a mapping', node.where);
    else {
      for (const e of node.entries) {
        if ((DEFAULT_KEYWORDS as readonly string[]).includes(e.key)) entries.push(e);
        else problems.error(`default: unknown keyword "${e.key}"${didYouMean(e.key, [...DEFAULT_KEYWORDS], ` (allowed: ${DEFAULT_KEYWORDS.join(', ')})`)}`, e.keyWhere);
      }
    }
  }
  for (const key of ['image', 'services', 'before_script', 'after_script', 'cache']) {
    const top = root.entries.find((e) => e.key === key);
    if (top && !entries.some((e) => e.key === key)) entries.push(top);
  }
  return { kind: 'map', entries, where: node?.where ?? root.where };
}
