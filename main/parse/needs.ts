// Cross-job checks once every job is built: `needs` and `dependencies` name real jobs in the current
// or earlier stages, and `needs` has no cycles.

import type { JobBlock, JobPlan, SourceLocation } from '../../shared/plan.js';
import type { BuiltJob } from './job.js';
import type { Problems } from './problems.js';
import { unreachableNames } from './inheritance.js';
import { didYouMean } from './suggestions.js';

/**
 * A need or dependency naming a `parallel:` job means all of its instances (or, with needs:parallel:matrix,
 * the instances named there), as GitLab's normalizer expands them.
 */
export function expandParallelLinks(built: BuiltJob[], instancesOf: ReadonlyMap<string, readonly string[]>): void {
  if (instancesOf.size === 0 && !built.some((b) => b.writtenNeeds?.some((n) => n.instances))) return;
  for (const job of built) {
    if (job.writtenNeeds) {
      job.writtenNeeds = job.writtenNeeds.flatMap((need) => {
        const names = need.instances ?? instancesOf.get(need.job);
        if (!names) return [need];
        const { instances: _selected, ...rest } = need;
        return names.map((name) => ({ ...rest, job: name }));
      });
      job.plan.needs = job.writtenNeeds.map(({ job: name, artifacts, optional }) => ({ job: name, artifacts, optional }));
    }
    if (job.plan.dependencies) {
      const expanded = job.plan.dependencies.map((dep, i) => ({ names: instancesOf.get(dep) ?? [dep], where: job.dependencyWheres[i] ?? job.plan.where }));
      job.plan.dependencies = expanded.flatMap((d) => [...d.names]);
      job.dependencyWheres = expanded.flatMap((d) => d.names.map(() => d.where));
    }
  }
}

/**
 * `unreadable`: jobs left out because their `extends` failed, with that error. A job whose need or
 * dependency cannot run here (blocked) is blocked too, naming it; the file stays valid.
 * `unreachable`: includes that could not be read; a need on a job that is not here probably names one of theirs.
 */
export function checkJobLinks(built: BuiltJob[], problems: Problems, unreadable: ReadonlyMap<string, string> = new Map(), unreachable: readonly string[] = []): void {
  const byName = new Map(built.map((b) => [b.plan.name, b.plan]));
  const names = [...byName.keys()];
  for (const { plan, writtenNeeds, dependencyWheres } of built) {
    for (const need of writtenNeeds ?? []) {
      const target = byName.get(need.job);
      if (!target) {
        const cause = unreadable.get(need.job);
        if (problems.jobBlock(need.job)) continue;
        if (cause === undefined && !need.optional && unreachable.length > 0) {
          problems.blockJob(plan.parallel?.job ?? plan.name, { kind: 'broken', message: `needs "${need.job}", which is probably in ${unreachableNames(unreachable)}`, where: need.where });
        } else if (cause !== undefined) problems.error(`job "${plan.name}" needs "${need.job}", which cannot be read: ${cause}`, need.where);
        else if (!need.optional) problems.error(`job "${plan.name}" needs "${need.job}", which is not defined${didYouMean(need.job, names)}`, need.where);
      } else if (target.stageIndex > plan.stageIndex && target.blocked?.kind !== 'broken' && plan.blocked?.kind !== 'broken') {
        problems.error(`job "${plan.name}" needs "${need.job}", which is in a later stage ("${target.stage}" comes after "${plan.stage}")`, need.where);
      } else if (target.when === 'never' && plan.when !== 'never' && !need.optional) {
        // Locally this is only a warning: rules often depend on variables only a server sets.
        problems.warn(
          `'${plan.name}' job needs '${need.job}' job, but '${need.job}' is not in any previous stage (its rules exclude it); GitLab would reject this pipeline — use needs:optional or adjust the rules`,
          need.where,
        );
      }
    }
    (plan.dependencies ?? []).forEach((dep, i) => {
      const where = dependencyWheres[i] ?? plan.where;
      const target = byName.get(dep);
      const cause = unreadable.get(dep);
      if (!target && problems.jobBlock(dep)) return;
      if (!target && cause !== undefined) problems.error(`job "${plan.name}": dependency "${dep}" cannot be read: ${cause}`, where);
      else if (!target) problems.error(`job "${plan.name}": dependency "${dep}" is not defined${didYouMean(dep, names)}`, where);
      else if (target.stageIndex > plan.stageIndex) {
        problems.error(`job "${plan.name}": dependency "${dep}" is not defined in current or prior stages`, where);
      }
      // GitLab checks this only when needs lists something (`needs: []` with dependencies is valid).
      else if (plan.needs && plan.needs.length > 0 && !plan.needs.some((n) => n.job === dep)) {
        problems.error(`job "${plan.name}": dependency "${dep}" should be part of needs`, where);
      }
    });
  }
  dropAbsentOptionalNeeds(built, byName);
  checkCycles(built.map((b) => b.plan), new Map(built.map((b) => [b.plan.name, b.writtenNeeds ?? []])), problems);
  blockDependents(built, problems);
}

/** Jobs that need (or take artifacts from) a job that cannot run here cannot run either, transitively. */
function blockDependents(built: BuiltJob[], problems: Problems): void {
  const byName = new Map(built.map((b) => [b.plan.name, b.plan]));
  const blockedHere = (plan: JobPlan): JobBlock | undefined => plan.blocked ?? problems.jobBlock(plan.name) ?? (plan.parallel ? problems.jobBlock(plan.parallel.job) : undefined);
  // An excluded job is not in the pipeline: what it cannot do matters to nobody.
  const blockOf = (name: string): JobBlock | undefined => {
    const plan = byName.get(name);
    if (!plan) return problems.jobBlock(name);
    return plan.when === 'never' ? undefined : blockedHere(plan);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const { plan, writtenNeeds, dependencyWheres } of built) {
      if (plan.when === 'never' || blockedHere(plan)) continue;
      const links = [
        ...(writtenNeeds ?? []).map((n) => ({ job: n.job, where: n.where, how: 'needs' })),
        ...(plan.dependencies ?? []).map((job, i) => ({ job, where: dependencyWheres[i] ?? plan.where, how: 'takes artifacts from' })),
      ];
      for (const link of links) {
        const block = blockOf(link.job);
        if (!block) continue;
        const cannot = block.kind === 'broken' ? 'cannot be read' : 'cannot run here';
        problems.blockJob(plan.name, { kind: 'broken', message: `${link.how} job "${link.job}", which ${cannot}: ${block.message}`, where: link.where });
        changed = true;
        break;
      }
    }
  }
}

function checkCycles(jobs: JobPlan[], wheres: Map<string, { job: string; where: SourceLocation }[]>, problems: Problems): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    state.set(name, 'visiting');
    for (const need of wheres.get(name) ?? []) {
      if (!byName.has(need.job)) continue;
      if (state.get(need.job) === 'visiting') {
        const start = trail.indexOf(need.job);
        const cycle = start < 0 ? [name, name] : [...trail.slice(start), name, need.job];
        problems.error(`circular dependency detected in \`needs\`: ${cycle.join(' → ')}`, need.where);
        continue;
      }
      visit(need.job, [...trail, name]);
    }
    state.set(name, 'done');
  };
  for (const job of jobs) visit(job.name, []);
}

/** GitLab removes an optional need on a job that is not in the pipeline (undefined or excluded by its rules). */
function dropAbsentOptionalNeeds(built: BuiltJob[], byName: ReadonlyMap<string, JobPlan>): void {
  const present = (name: string): boolean => {
    const target = byName.get(name);
    return target !== undefined && target.when !== 'never';
  };
  for (const job of built) {
    if (!job.plan.needs || job.plan.when === 'never') continue;
    job.plan.needs = job.plan.needs.filter((need) => !need.optional || present(need.job));
    if (job.writtenNeeds) job.writtenNeeds = job.writtenNeeds.filter((need) => !need.optional || present(need.job));
  }
}
