// `workflow:rules`: whether GitLab would create the pipeline at all, and the variables the matching
// rule adds to every job. jobsim still runs a pipeline GitLab would skip, and says so. Also the
// pipeline's `workflow:name` and `workflow:auto_cancel` (a matching rule's `auto_cancel` wins).

import type { AutoCancelPlan } from '../../shared/plan.js';
import { readAutoCancel } from './auto-cancel.js';
import { readString } from './fields.js';
import type { LocatedMap } from './located.js';
import { get } from './located.js';
import type { PipelineFacts } from './predefined.js';
import { predefinedVariables } from './predefined.js';
import type { Problems } from './problems.js';
import type { GitChanges } from './git-changes.js';
import type { ProjectFiles } from './project-glob.js';
import { evaluateRules, readRules } from './rules.js';
import { expandText, lookupIn, resolveVariables, type RawVariable } from './variables.js';

/** GitLab's limit on the length of `workflow:name`. */
const MAX_NAME_LENGTH = 255;

export interface WorkflowInput {
  facts: PipelineFacts;
  files: ProjectFiles;
  changes: GitChanges;
  /** Runner, global, cli and secret variables, in that order. */
  variables: RawVariable[];
  problems: Problems;
}

export interface WorkflowResult {
  /** The variables the matching workflow rule adds (as global variables). */
  variables: RawVariable[];
  name?: string;
  autoCancel?: AutoCancelPlan;
}

export function applyWorkflow(root: LocatedMap, input: WorkflowInput): WorkflowResult {
  const workflow = get(root, 'workflow');
  if (!workflow) return { variables: [] };
  const { problems } = input;
  if (workflow.kind !== 'map') {
    problems.error('workflow: should be a mapping (rules, name, auto_cancel)', workflow.where);
    return { variables: [] };
  }
  for (const e of workflow.entries) {
    if (e.key !== 'rules' && e.key !== 'name' && e.key !== 'auto_cancel') problems.error(`workflow: unknown key "${e.key}" (allowed: rules, name, auto_cancel)`, e.keyWhere);
  }
  const autoCancelNode = get(workflow, 'auto_cancel');
  const written = autoCancelNode ? readAutoCancel(autoCancelNode, 'workflow:auto_cancel', problems) : undefined;
  // Pipeline-level variables only: no job exists yet when GitLab evaluates workflow:rules.
  const predefined = predefinedVariables(input.facts, { name: '', stage: '', index: 0, imageName: '', timeoutMs: 0 }).filter((v) => !v.key.startsWith('CI_JOB_'));
  const rulesNode = get(workflow, 'rules');
  let variables: RawVariable[] = [];
  let ruleAutoCancel: AutoCancelPlan | undefined;
  if (rulesNode) {
    const rules = readRules(rulesNode, 'workflow', problems);
    const outcome = evaluateRules(rules, lookupIn(resolveVariables([...predefined, ...input.variables])), input);
    if (!outcome.matched || outcome.when === 'never') {
      problems.warn('workflow:rules: no rule lets this pipeline run, so GitLab would not create it; jobsim runs it anyway', rulesNode.where);
    }
    variables = outcome.variables.map((v) => ({ ...v, source: 'global' }));
    ruleAutoCancel = outcome.autoCancel;
  }
  const autoCancel = written || ruleAutoCancel ? { ...written, ...ruleAutoCancel } : undefined;
  const name = readName(workflow, [...predefined, ...input.variables, ...variables], problems);
  return { variables, ...(name !== undefined ? { name } : {}), ...(autoCancel ? { autoCancel } : {}) };
}

/** `workflow:name`, expanded with the pipeline's variables (secrets shown as [MASKED]). */
function readName(workflow: LocatedMap, variables: RawVariable[], problems: Problems): string | undefined {
  const node = get(workflow, 'name');
  if (!node) return undefined;
  const written = readString(node, 'workflow:name', problems);
  if (written === undefined) return undefined;
  if (written.length > MAX_NAME_LENGTH) {
    problems.error(`workflow:name is too long (maximum is ${MAX_NAME_LENGTH} characters)`, node.where);
    return undefined;
  }
  const resolved = resolveVariables(variables);
  return expandText(written, (key) => {
    const v = resolved.find((r) => r.key === key);
    return v?.masked ? '[MASKED]' : v?.value;
  });
}
