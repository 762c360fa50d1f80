// `allow_failure` as GitLab's pipeline seed decides it: the job's own `allow_failure`, else true when
// the job itself says `when: manual` (Entry::Job#ignored?); a matching rule's `allow_failure` wins
// (Build::Rules::Result#build_attributes). A job that becomes manual only through a rule's `when`
// is therefore not allowed to fail, while a job-level `when: manual` stays allowed to fail whatever
// its matching rule says about `when`.

import type { AllowFailure, JobWhen } from '../../shared/plan.js';
import type { RuleOutcome } from './rules.js';

export function allowFailureOf(written: AllowFailure | undefined, writtenWhen: JobWhen | undefined, rules: RuleOutcome | undefined): AllowFailure {
  if (rules?.allowFailure !== undefined) return rules.allowFailure;
  if (written !== undefined) return written;
  return writtenWhen === 'manual';
}
