// `jobsim run --pin RUN`: run with the exact image digests a previous run used, so a reproduction
// runs the same bits even when a tag has moved since.

import { isRunId } from '../../shared/wire.js';
import { readPinnedDigests } from '../engine/rerun-pins.js';
import { InputError } from '../errors.js';
import { readSummary } from '../history/index.js';

/** Digest per normalised image reference, from the pull decisions of a stored run. */
export async function pinnedDigestsFrom(runId: string): Promise<Record<string, string>> {
  if (!isRunId(runId) || !(await readSummary(runId))) throw new InputError(`--pin: no stored run "${runId}"; \`jobsim runs\` lists them`);
  const digests = await readPinnedDigests(runId);
  if (Object.keys(digests).length === 0) {
    throw new InputError(`--pin: run "${runId}" recorded no image digests (its images were built locally and never pushed or pulled); nothing to pin`);
  }
  return digests;
}
