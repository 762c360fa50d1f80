// `workflow:rules`: whether GitLab would create the pipeline at all, and the variables the matching
// rule adds to every job. jobsim still runs a pipeline GitLab would skip, and says so.

import type { LocatedMap } from './located.js';
import { get } from './located.js';
import type { PipelineFacts } from './predefined.js';
import { predefinedVariables } from './predefined.js';
import type { Problems } from './problems.js';
import type { GitChanges } from './git-changes.js';
import type { ProjectFiles } from './project-glob.js';
import { evaluateRules, readRules } from './rules.js';
import { lookupIn, resolveVariables, type RawVariable } from './variables.js';

export interface WorkflowInput {
  facts: PipelineFacts;
  files: ProjectFiles;
  changes: GitChanges;
  /** Runner, global, cli and secret variables, in that order. */
  variables: RawVariable[];
  problems: Problems;
}

/** Returns the variables the matching workflow rule adds (as global variables). */
export function applyWorkflow(root: LocatedMap, input: WorkflowInput): RawVariable[] {
  const workflow = get(root, 'workflow');
  if (!workflow) return [];
  const { problems } = input;
  if (workflow.kind !== 'map') {
    problems.error('workflow: should be a mapping (rules, name)', workflow.where);
    return [];
  }
  for (const e of workflow.entries) {
    if (e.key === 'name' || e.key === 'auto_cancel') problems.warn(`workflow:${e.key} is ignored`, e.keyWhere);
    else if (e.key !== 'rules') problems.error(`workflow: unknown key "${e.key}" (allowed: rules, name, auto_cancel)`, e.keyWhere);
  }
  const rulesNode = get(workflow, 'rules');
  if (!rulesNode) return [];
  const rules = readRules(rulesNode, 'workflow', problems);
  // Pipeline-level variables only: no job exists yet when GitLab evaluates workflow:rules.
  const predefined = predefinedVariables(input.facts, { name: '', stage: '', index: 0, imageName: '', timeoutMs: 0 }).filter((v) => !v.key.startsWith('CI_JOB_'));
  const outcome = evaluateRules(rules, lookupIn(resolveVariables([...predefined, ...input.variables])), input);
  if (!outcome.matched || outcome.when === 'never') {
    problems.warn('workflow:rules: no rule lets this pipeline run, so GitLab would not create it; jobsim runs it anyway', rulesNode.where);
  }
  return outcome.variables.map((v) => ({ ...v, source: 'global' }));
}
