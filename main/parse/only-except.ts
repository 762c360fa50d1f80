// `only:` and `except:`, the older way to choose a job's pipelines, evaluated the way GitLab does
// (lib/gitlab/ci/build/policy/*.rb and Pipeline::Seed::Build#included?): a job is in the pipeline when
// every key of `only` is satisfied and no key of `except` is. Keys: `refs` (the plain list form is
// refs too), `variables`, `changes`, `kubernetes`. A job with neither (and no rules) has GitLab's
// default, `only: [branches, tags]`.

import type { SourceLocation } from '../../shared/plan.js';
import { readString, readStringList } from './fields.js';
import { ExpressionError, evaluate, parseExpression, toRegExp, type Expr } from './if-expression.js';
import type { ChangedFiles } from './git-changes.js';
import type { Located } from './located.js';
import type { PipelineFacts } from './predefined.js';
import type { Problems } from './problems.js';
import { changedMatch } from './rule-files.js';
import { unknownKeyMessage } from './suggestions.js';

const POLICY_KEYS = ['refs', 'variables', 'changes', 'kubernetes'];

/** One `only:` or `except:` block. */
export interface RefPolicy {
  refs?: string[];
  variables?: { expr: Expr; text: string }[];
  changes?: string[];
  kubernetes?: string;
  where: SourceLocation;
}

/** The pipeline being simulated, as far as `only`/`except` look at it. */
export interface SimulatedRef {
  /** Branch or tag name. */
  ref: string;
  kind: 'branch' | 'tag';
  /** CI_PIPELINE_SOURCE: push, merge_request_event, schedule, web, api, trigger, … */
  source: string;
  projectPath: string;
}

export function readRefPolicy(node: Located, what: string, problems: Problems): RefPolicy | undefined {
  if (node.kind === 'seq' || node.kind === 'scalar') {
    const refs = readStringList(node, what, problems);
    return refs ? { refs, where: node.where } : undefined;
  }
  if (node.kind !== 'map') {
    problems.error(`${what} should be a list of refs or a mapping (refs, variables, changes, kubernetes)`, node.where);
    return undefined;
  }
  const policy: RefPolicy = { where: node.where };
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'refs') policy.refs = readStringList(value, `${what}:refs`, problems) ?? [];
    else if (key === 'changes') {
      const paths = value.kind === 'map' ? value.entries.find((e) => e.key === 'paths')?.value : value;
      policy.changes = (paths && readStringList(paths, `${what}:changes`, problems)) ?? [];
    } else if (key === 'kubernetes') policy.kubernetes = readString(value, `${what}:kubernetes`, problems) ?? '';
    else if (key === 'variables') {
      policy.variables = [];
      for (const text of readStringList(value, `${what}:variables`, problems) ?? []) {
        try {
          policy.variables.push({ expr: parseExpression(text), text });
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          problems.error(`${what}:variables: invalid expression "${text}": ${error.message}`, value.where);
        }
      }
    } else problems.error(unknownKeyMessage(what, 'policy', key, POLICY_KEYS), keyWhere);
  }
  return policy;
}

/** Rails' `pluralize` for the source names GitLab has (push → pushes, schedule → schedules). */
function plural(word: string): string {
  return /(?:s|x|z|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

/** GitLab's Refs policy: `branches`, `tags`, a pipeline source (`pushes`, `merge_requests`, `schedules`, …), a `/regex/` or a name, optionally `@project/path`. */
function refMatches(pattern: string, on: SimulatedRef): boolean {
  const at = pattern.indexOf('@');
  const [name, path] = at < 0 ? [pattern, undefined] : [pattern.slice(0, at), pattern.slice(at + 1)];
  if (path !== undefined && path !== on.projectPath) return false;
  const mergeRequest = on.source === 'merge_request_event';
  if (on.kind === 'tag' && name === 'tags') return true;
  // A merge request pipeline is neither a branch nor a tag pipeline for GitLab.
  if (on.kind === 'branch' && !mergeRequest && name === 'branches') return true;
  const source = on.source.replace(/_event$/, '');
  if (name === source || name === plural(source)) return true;
  if (mergeRequest) return false; // names and patterns never match merge request pipelines
  const regex = /^\/(.*)\/([a-zA-Z]*)$/s.exec(name);
  return regex ? toRegExp(regex[1]!, regex[2]!).test(on.ref) : name === on.ref;
}

/** What git says changed (see git-changes.ts), asked only when a policy has `changes`. */
export type ChangedFilesAt = (where: SourceLocation) => ChangedFiles;

/**
 * Each key of a policy is one of GitLab's policy specs. `changes` (Policy::Changes): matched against the
 * changed files with GitLab's globs; a pipeline whose changed files cannot be told counts as changed.
 */
function specResults(policy: RefPolicy, on: SimulatedRef, lookup: (name: string) => string | undefined, changed: ChangedFilesAt): { clause: string; ok: boolean }[] {
  const results: { clause: string; ok: boolean }[] = [];
  if (policy.refs !== undefined) results.push({ clause: `refs [${policy.refs.join(', ')}]`, ok: policy.refs.some((p) => refMatches(p, on)) });
  if (policy.variables !== undefined) results.push({ clause: `variables [${policy.variables.map((v) => v.text).join(', ')}]`, ok: policy.variables.some((v) => evaluate(v.expr, lookup)) });
  if (policy.changes !== undefined) {
    const files = changed(policy.where);
    const against = files.known ? ` (compared with ${files.against})` : ' (counted as changed)';
    results.push({ clause: `changes [${policy.changes.join(', ')}]${against}`, ok: changedMatch(files, policy.changes) });
  }
  if (policy.kubernetes !== undefined) results.push({ clause: `kubernetes: ${policy.kubernetes} (no Kubernetes integration locally)`, ok: false });
  return results;
}

const DEFAULT_ONLY: RefPolicy = { refs: ['branches', 'tags'], where: { file: '', line: 0, col: 0 } };

/**
 * Whether the job is in the pipeline (every spec of `only` satisfied, none of `except`), and when not,
 * which clause left it out, for the job list.
 */
export function refPolicyDecision(
  only: RefPolicy | undefined,
  except: RefPolicy | undefined,
  on: SimulatedRef,
  lookup: (name: string) => string | undefined,
  changed: ChangedFilesAt = () => ({ known: false, why: 'no repository given' }),
): { included: true } | { included: false; reason: string } {
  const pipeline = `${on.kind} "${on.ref}" (${on.source})`;
  const unmet = specResults(only ?? DEFAULT_ONLY, on, lookup, changed).find((r) => !r.ok);
  if (unmet) return { included: false, reason: `only: ${unmet.clause} does not match ${pipeline}` };
  const met = except ? specResults(except, on, lookup, changed).find((r) => r.ok) : undefined;
  if (met) return { included: false, reason: `except: ${met.clause} matches ${pipeline}` };
  return { included: true };
}

/** The simulated pipeline, as only/except see it. */
export function simulatedRef(facts: PipelineFacts): SimulatedRef {
  const { ref, kind, source } = facts.pipeline;
  return { ref, kind, source, projectPath: facts.projectPath };
}
