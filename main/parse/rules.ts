// `rules:`: the first rule whose `if`, `changes` and `exists` all match decides the job's when,
// allow_failure, extra variables and needs. No match: the job is not part of the pipeline (when: never).

import type { AllowFailure, AutoCancelPlan, JobWhen, SourceLocation } from '../../shared/plan.js';
import { readAutoCancel } from './auto-cancel.js';
import { startInMs } from './durations.js';
import { flattenItems, readBoolean, readOneOf, readString } from './fields.js';
import { ExpressionError, evaluate, parseExpression, type Expr } from './if-expression.js';
import type { Located } from './located.js';
import type { Problems } from './problems.js';
import { readAllowFailure, readNeeds, type WrittenNeed } from './job-fields.js';
import { changesSatisfied, existsSatisfied, readChangesClause, readExistsClause, type ChangesClause, type ExistsClause, type RuleFiles } from './rule-files.js';
import { unknownKeyMessage } from './suggestions.js';
import { readVariables, type RawVariable } from './variables.js';

export const JOB_WHEN: readonly JobWhen[] = ['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never'];
const RULE_KEYS = ['if', 'changes', 'exists', 'when', 'allow_failure', 'variables', 'needs', 'start_in', 'interruptible', 'auto_cancel'];

export interface Rule {
  condition?: { expr: Expr; text: string };
  changes?: ChangesClause;
  exists?: ExistsClause;
  when?: JobWhen;
  allowFailure?: AllowFailure;
  variables: RawVariable[];
  /** `start_in` of a `when: delayed` rule. */
  startInMs?: number;
  interruptible?: boolean;
  /** Workflow rules only. */
  autoCancel?: AutoCancelPlan;
  /** `rules:needs`: replaces the job's needs when this rule matches. */
  needs?: WrittenNeed[];
  where: SourceLocation;
}

export interface RuleOutcome {
  matched: boolean;
  when?: JobWhen;
  allowFailure?: AllowFailure;
  variables: RawVariable[];
  startInMs?: number;
  interruptible?: boolean;
  autoCancel?: AutoCancelPlan;
  needs?: WrittenNeed[];
}

/** `owner` starts every message: `job "test"` or `workflow`. */
export function readRules(node: Located, owner: string, problems: Problems): Rule[] {
  if (node.kind !== 'seq') {
    problems.error(`${owner}: rules should be a list of rules`, node.where);
    return [];
  }
  const rules: Rule[] = [];
  for (const item of flattenItems(node)) {
    if (item.kind !== 'map') {
      problems.error(`${owner}: each rule should be a mapping (if, when, ...)`, item.where);
      continue;
    }
    const rule: Rule = { variables: [], where: item.where };
    let startIn: Located | undefined;
    for (const { key, keyWhere, value } of item.entries) {
      if (key === 'if') {
        const text = readString(value, `${owner}: rules:if`, problems);
        if (text === undefined) continue;
        try {
          rule.condition = { expr: parseExpression(text), text };
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          problems.error(`${owner}: invalid rules:if expression "${text}": ${error.message}`, value.where);
        }
      } else if (key === 'when') rule.when = readOneOf(value, `${owner}: rules:when`, JOB_WHEN, problems);
      else if (key === 'allow_failure') rule.allowFailure = readAllowFailure(value, owner, problems);
      else if (key === 'variables') rule.variables = readVariables(value, 'rules', `${owner}: rules:variables`, problems);
      else if (key === 'exists') rule.exists = readExistsClause(value, owner, problems);
      else if (key === 'changes') rule.changes = readChangesClause(value, owner, problems);
      else if (key === 'needs' && owner !== 'workflow') rule.needs = readNeeds(value, owner.replace(/^job "(.*)"$/, '$1'), problems);
      else if (key === 'start_in' && owner !== 'workflow') startIn = value;
      else if (key === 'interruptible' && owner !== 'workflow') rule.interruptible = readBoolean(value, `${owner}: rules:interruptible`, problems);
      else if (key === 'auto_cancel' && owner === 'workflow') rule.autoCancel = readAutoCancel(value, 'workflow:rules:auto_cancel', problems);
      else if (RULE_KEYS.includes(key)) problems.warn(`${owner}: rules:${key} is ignored`, keyWhere);
      else problems.error(unknownKeyMessage(owner, 'rule', key, RULE_KEYS), keyWhere);
    }
    readRuleStartIn(rule, startIn, owner, problems);
    rules.push(rule);
  }
  return rules;
}

/** GitLab: `start_in` is required with `when: delayed` in a rule, and not allowed without it. */
function readRuleStartIn(rule: Rule, node: Located | undefined, owner: string, problems: Problems): void {
  if (rule.when !== 'delayed') {
    if (node) problems.error(`${owner}: rules:start_in may only be used with when: delayed`, node.where);
    return;
  }
  if (!node) {
    problems.error(`${owner}: rules:start_in can't be blank with when: delayed (e.g. start_in: 30 minutes)`, rule.where);
    return;
  }
  const text = readString(node, `${owner}: rules:start_in`, problems);
  if (text === undefined) return;
  const ms = startInMs(text);
  if (typeof ms === 'string') problems.error(`${owner}: rules:${ms}`, node.where);
  else rule.startInMs = ms;
}

export function evaluateRules(rules: Rule[], lookup: (name: string) => string | undefined, inputs: RuleFiles): RuleOutcome {
  for (const rule of rules) {
    if (rule.condition && !evaluate(rule.condition.expr, lookup)) continue;
    if (rule.changes && !changesSatisfied(rule.changes, lookup, inputs)) continue;
    if (rule.exists && !existsSatisfied(rule.exists, lookup, inputs)) continue;
    return {
      matched: true, when: rule.when, allowFailure: rule.allowFailure, variables: rule.variables,
      ...(rule.needs ? { needs: rule.needs } : {}),
      ...(rule.startInMs !== undefined ? { startInMs: rule.startInMs } : {}),
      ...(rule.interruptible !== undefined ? { interruptible: rule.interruptible } : {}),
      ...(rule.autoCancel ? { autoCancel: rule.autoCancel } : {}),
    };
  }
  return { matched: false, when: 'never', variables: [] };
}
