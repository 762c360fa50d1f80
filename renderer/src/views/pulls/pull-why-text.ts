// The "why?" panel's wording for one pull attempt: shared/pull-explain.ts says what happened; this adds
// what each policy means, the allowed_pull_policies rule, the shared-runner caveat of if-not-present and
// the rule that refused the image (worker pool registries or the runner's allow-lists).

import type { PullEvent } from '../../../../shared/events.js';
import type { PullPolicy } from '../../../../shared/plan.js';
import { explainPull } from '../../../../shared/pull-explain.js';

export const SOURCE_LABEL: Record<PullEvent['policySource'], string> = {
  'job-file': 'job file',
  'runner-config': 'runner config',
  default: 'default',
};

const POLICY_MEANING: Record<PullPolicy, string> = {
  always: 'always: ask the registry every time and download the image when the tag points somewhere new; a local copy is used only when it is already current.',
  'if-not-present': 'if-not-present: use a local copy when there is one, without asking the registry; pull only when there is none.',
  never: 'never: use only a local copy; the job fails when there is none.',
};

export const IF_NOT_PRESENT_CAVEAT =
  'Caveat for shared runners: with if-not-present, a private image that one job pulled with its credentials stays on the runner, and any other job on that runner can then use it without credentials. Use always for private images on shared runners.';

export const POOL_RULE =
  'A worker pool is on: images may only come from the registries the pool allows, and a pool that refuses private images refuses any image that needs credentials. The rule is checked before anything is pulled.';

const ALLOW_LIST_RULE =
  "The runner config's allowed_images / allowed_services list does not match this image as written; the lists are checked before anything is pulled.";

/** The rule that refused an image, explained, by the refusal's typed cause. */
function refusalRule(event: PullEvent): string | undefined {
  switch (event.refusedBy) {
    case 'pool-registry':
    case 'pool-private-image':
      return POOL_RULE;
    case 'allowed-images':
    case 'allowed-services':
      return ALLOW_LIST_RULE;
    default:
      return undefined;
  }
}

function allowedSentence(event: PullEvent): string {
  if (event.allowedPolicies.length === 0) return 'allowed_pull_policies is not set, so every policy the job asks for is allowed.';
  const requested = [...new Set(event.policies)];
  // An allow-list refusal comes before the effective list exists: then nothing was skipped for policy reasons.
  const dropped =
    event.refusedBy === 'allowed-pull-policies' ? requested : event.effectivePolicies.length === 0 ? [] : requested.filter((policy) => !event.effectivePolicies.includes(policy));
  const base = `The runner allows [${event.allowedPolicies.join(', ')}] (allowed_pull_policies); only those of the requested policies are tried, in the requested order.`;
  return dropped.length > 0 ? `${base} Not allowed, so skipped: ${dropped.join(', ')}.` : base;
}

/** Sentences for the why panel, most important first. */
export function explainPullInDepth(event: PullEvent): string[] {
  const lines = explainPull(event);
  lines.push(allowedSentence(event));
  for (const policy of [...new Set(event.policies)]) lines.push(POLICY_MEANING[policy]);
  if (event.policies.includes('if-not-present')) lines.push(IF_NOT_PRESENT_CAVEAT);
  const rule = refusalRule(event);
  if (rule) lines.push(rule);
  return lines;
}

/** `sha256:dcf64476bfe4` for tables; the full digest goes in a title. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '';
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest.slice(0, 12);
}
