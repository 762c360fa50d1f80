// The image digests a stored run used, by normalised reference: `jobsim run --pin RUN` and
// `jobsim rerun` (pinned by default) run exactly those bits again, even after a tag has moved.

import type { RunEvent } from '../../shared/events.js';
import { readRunEvents } from '../history/index.js';

/** Digest per normalised image reference, from the pull decisions among `events`. */
export function pinnedDigestsOf(events: Iterable<RunEvent>): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const event of events) {
    if (event.type !== 'pull' || (event.decision !== 'pulled' && event.decision !== 'used-local')) continue;
    const digest = event.digest?.split('@').pop();
    if (digest?.startsWith('sha256:')) digests[event.normalized] = digest;
  }
  return digests;
}

/** The same, read from a stored run's history. */
export async function readPinnedDigests(runId: string, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const pulls: RunEvent[] = [];
  for await (const event of readRunEvents(runId, env)) if (event.type === 'pull') pulls.push(event);
  return pinnedDigestsOf(pulls);
}
