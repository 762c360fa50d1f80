// Which pull policies a container gets: the requested list (job file or runner config) intersected with the
// runner's allowed_pull_policies, in the requested order, exactly as GitLab Runner computes it.

import type { PullPlan, PullPolicy, PullPolicySource } from '../../../shared/plan.js';
import { InputError } from '../../errors.js';

/** How GitLab names the place a pull_policy list came from in its allowed_pull_policies error. */
export function describePolicySource(source: PullPolicySource): string {
  switch (source) {
    case 'job-file':
      return 'GitLab pipeline config';
    case 'runner-config':
      return 'Runner config';
    case 'default':
      return 'Runner config (default)';
  }
}

/** Go's `%v` of a string slice, as GitLab prints policy lists: `[always if-not-present]`. */
export function formatPolicyList(policies: readonly string[]): string {
  return `[${policies.join(' ')}]`;
}

/** The policies the job asks for: an empty request means `[always]`. */
export function requestedPolicies(pull: PullPlan): PullPolicy[] {
  return pull.policies.length > 0 ? pull.policies : ['always'];
}

/** The runner's allowed_pull_policies, which default to the requested policies. */
export function allowedPolicies(pull: PullPlan): PullPolicy[] {
  return pull.allowed.length > 0 ? pull.allowed : requestedPolicies(pull);
}

/**
 * The policies to try, in order: the requested ones that are allowed. Repeated policies are kept (a repeat
 * is a retry). Throws InputError with GitLab's message when nothing requested is allowed.
 */
export function effectivePolicies(pull: PullPlan): PullPolicy[] {
  const allowed = allowedPolicies(pull);
  const effective = requestedPolicies(pull).filter((policy) => allowed.includes(policy));
  if (effective.length === 0) {
    throw new InputError(
      `pull_policy (${formatPolicyList(requestedPolicies(pull))}) defined in ${describePolicySource(pull.source)} ` +
        `is not one of the allowed_pull_policies (${formatPolicyList(allowed)})`,
    );
  }
  return effective;
}
