// Plain-words explanation of one pull decision, for the UI's "why?" panel and `jobsim show`. Pure.

import type { PullEvent } from './events.js';

const SOURCE_WORDS: Record<PullEvent['policySource'], string> = {
  'job-file': 'the job file (image:pull_policy)',
  'runner-config': 'the runner config (pull_policy)',
  default: "the runner's default",
};

function shortDigest(digest: string | undefined): string | undefined {
  return digest ? `${digest.slice(0, 19)}…` : undefined;
}

/** A few sentences: what was decided, why, what was known locally and remotely, what to try instead. */
export function explainPull(event: PullEvent): string[] {
  const lines: string[] = [];
  const list = `[${event.policies.join(', ')}]`;
  const tried = event.effectivePolicies;
  const narrowed = tried.length > 0 && tried.join() !== event.policies.join() ? ` (the allowed ones, tried in order: [${tried.join(', ')}])` : '';
  lines.push(`Policies ${list} come from ${SOURCE_WORDS[event.policySource]}${narrowed}; attempt ${event.attempt} tried "${event.policy}".`);
  switch (event.decision) {
    case 'used-local':
      lines.push(`Used the image already on this machine: ${event.reason}.`);
      break;
    case 'pulled':
      lines.push(`Pulled from the registry: ${event.reason}.`);
      break;
    case 'failed':
      lines.push(`This attempt failed: ${event.reason}.`);
      // `attempt` counts in the effective list: the requested list may hold policies the runner skipped.
      if (event.attempt < tried.length) lines.push(`Next, "${tried[event.attempt] ?? ''}" was tried.`);
      break;
    case 'refused':
      lines.push(`Refused before any pull: ${event.reason}`);
      break;
  }
  if (event.localPresent) {
    const digest = shortDigest(event.localDigest);
    lines.push(`A local copy existed${event.localCreated ? ` (built ${event.localCreated.slice(0, 10)})` : ''}${digest ? ` with digest ${digest}` : ''}.`);
  } else if (event.decision !== 'refused') {
    lines.push('No local copy existed.');
  }
  if (event.remoteDigest && event.localDigest && event.remoteDigest !== event.localDigest) {
    lines.push(`The registry's digest (${shortDigest(event.remoteDigest) ?? ''}) differs from the local one: the tag has moved since the local copy was pulled.`);
  }
  if (event.decision === 'used-local' && event.policy === 'if-not-present') {
    lines.push('The registry was not asked, so a newer version of this tag may exist; use "always" to get it.');
  }
  return lines;
}
