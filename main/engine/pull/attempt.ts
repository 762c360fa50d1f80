// One pull policy tried for one image: inspect, decide, maybe pull (with retries of transient errors), and
// report what was seen. GitLab's getImageUsingPullPolicy: every policy starts with an inspect; `never` never
// pulls; `if-not-present` uses a present image; an image named by ID (or, in jobsim, by digest) is never
// pulled when present.

import type { PullDecision, PullEvent } from '../../../shared/events.js';
import type { PullPolicy } from '../../../shared/plan.js';
import { findCredentials, type FoundCredentials } from '../../docker/auth.js';
import { inspectImage, pullImage, tagImage, untagImage, type LocalImage } from '../../docker/images.js';
import { EnvironmentError, InputError } from '../../errors.js';
import type { ImageRequest, ResolvedImage, RunContext } from '../contracts.js';
import { backoffDelay, classifyPullFailure, isRetryable, sleep, type PullFailureKind, type RetrySettings } from './failure.js';
import { engineReference, mirrorFor, printedRepoDigest, repoDigestFor, toResolvedImage } from './local.js';
import { checkPoolPrivateImage } from './pool.js';
import { PullProgress } from './progress.js';

export interface AttemptSettings {
  retry: RetrySettings;
  progressIntervalMs: number;
}

/** What was seen during an attempt; goes into the `pull` event. */
export type AttemptFacts = Pick<PullEvent, 'localPresent' | 'localDigest' | 'localCreated' | 'remoteDigest' | 'imageId' | 'digest' | 'bytes'>;

export type AttemptResult =
  | { ok: true; decision: Extract<PullDecision, 'used-local' | 'pulled'>; reason: string; image: ResolvedImage; facts: AttemptFacts }
  | { ok: false; kind: PullFailureKind; message: string; reason: string; facts: AttemptFacts; neverMissing?: boolean };

export interface AttemptInput {
  request: ImageRequest;
  run: RunContext;
  policy: PullPolicy;
  /** The name GitLab prints. */
  image: string;
  pinnedDigest: string | undefined;
  settings: AttemptSettings;
  log: (text: string) => void;
}

function localFacts(local: LocalImage | undefined, input: AttemptInput): AttemptFacts {
  if (!local) return { localPresent: false };
  const digest = repoDigestFor(local, input.request.image.ref);
  return { localPresent: true, ...(digest ? { localDigest: digest } : {}), localCreated: local.created };
}

function success(input: AttemptInput, local: LocalImage, decision: 'used-local' | 'pulled', reason: string, facts: AttemptFacts): AttemptResult {
  const ref = input.request.image.ref;
  const digest = ref.isImageId ? undefined : (ref.digest ?? input.pinnedDigest ?? repoDigestFor(local, ref));
  const printed = printedRepoDigest(local, ref);
  input.log(`Using docker image ${local.id} for ${input.image}${printed ? ` with digest ${printed}` : ''} ...`);
  return { ok: true, decision, reason, image: toResolvedImage(local, digest), facts: { ...facts, imageId: local.id, ...(digest ? { digest } : {}) } };
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => (secret ? masked.split(secret).join('[MASKED]') : masked), text);
}

function jobAuthConfig(input: AttemptInput): string | undefined {
  const job = input.run.plan.jobs.find((candidate) => candidate.name === input.request.job);
  return job?.variables.find((variable) => variable.key === 'DOCKER_AUTH_CONFIG')?.value;
}

async function pullWithRetries(input: AttemptInput, reference: string, credentials: FoundCredentials | undefined, progress: PullProgress, onDigest: (digest: string) => void): Promise<void> {
  const { retry } = input.settings;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await pullImage(input.run.docker, reference, {
        ...(credentials ? { auth: credentials.auth } : {}),
        signal: input.run.signal,
        onEvent: (event) => {
          const digest = /^Digest: (sha256:[0-9a-f]{64})/.exec(event.status ?? '')?.[1];
          if (digest) onDigest(digest);
          progress.add(event);
        },
      });
      return;
    } catch (error) {
      if (input.run.signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (!isRetryable(classifyPullFailure(message)) || attempt >= retry.retries) throw error;
      const delay = backoffDelay(attempt + 1, retry);
      input.log(`Retrying pull of ${input.image} in ${(delay / 1000).toFixed(1)} s after a transient error (retry ${attempt + 1} of ${retry.retries}): ${mask(message, credentials?.secrets ?? [])}`);
      await sleep(delay, input.run.signal);
    }
  }
}

async function pullAndInspect(input: AttemptInput, facts: AttemptFacts): Promise<AttemptResult> {
  const { run, request } = input;
  const ref = request.image.ref;
  const mirror = mirrorFor(ref, run.options.registryMirror);
  const registry = mirror ?? ref.registry;
  const reference = engineReference(ref, input.pinnedDigest, registry);
  let credentials: FoundCredentials | undefined;
  const emitProgress = new PullProgress(
    (snapshot) => run.emit({ type: 'pull-progress', job: request.job, image: ref.written, ...snapshot }),
    input.settings.progressIntervalMs,
  );
  let remoteDigest: string | undefined;
  try {
    credentials = await findCredentials(registry, ref.repository, {
      ...(jobAuthConfig(input) !== undefined ? { jobAuthConfig: jobAuthConfig(input) } : {}),
      ...(run.options.dockerConfigDir ? { dockerConfigDir: run.options.dockerConfigDir } : {}),
    });
    if (credentials && run.options.pool) checkPoolPrivateImage(run.options.pool, ref.written, credentials.source);
    if (credentials) input.log(`Authenticating with credentials from ${credentials.source}`);
    if (credentials && run.options.pool?.shared && request.image.pull.policies.includes('if-not-present')) {
      input.log(
        `WARNING: "if-not-present" on a shared worker: once pulled, the private image ${input.image} stays in the worker's cache and jobs of other projects can use it without credentials`,
      );
    }
    input.log(`Pulling docker image ${input.image} ...`);
    if (mirror) input.log(`Using registry mirror ${mirror} for Docker Hub image ${input.image}`);
    await pullWithRetries(input, reference, credentials, emitProgress, (digest) => (remoteDigest = digest));
    emitProgress.flush();
    if (mirror && !ref.digest && !input.pinnedDigest) {
      // Give the image the name the job file uses and drop the mirror's name (a digest cannot be a tag).
      await tagImage(run.docker, reference, `${ref.registry}/${ref.repository}`, ref.tag ?? 'latest');
      await untagImage(run.docker, reference);
    }
  } catch (error) {
    emitProgress.flush();
    if (error instanceof InputError) throw error;
    const canceled = run.signal.aborted;
    // An EnvironmentError here comes from the credential lookup (bad config, missing helper).
    const raw = error instanceof EnvironmentError ? `${error.message}${error.advice ? `; ${error.advice}` : ''}` : error instanceof Error ? error.message : String(error);
    const message = mask(canceled ? 'canceled' : raw, credentials?.secrets ?? []);
    const kind = error instanceof EnvironmentError && !canceled ? 'auth' : classifyPullFailure(message, canceled);
    return { ok: false, kind, message, reason: `pull failed: ${message}`, facts: { ...facts, ...(remoteDigest ? { remoteDigest } : {}), bytes: emitProgress.bytes() } };
  }
  const pulledName = mirror && (ref.digest || input.pinnedDigest) ? reference : engineReference(ref, input.pinnedDigest);
  const pulled = await inspectImage(run.docker, pulledName);
  const after = { ...facts, ...(remoteDigest ? { remoteDigest } : {}), bytes: emitProgress.bytes() };
  if (!pulled) return { ok: false, kind: 'other', message: `the engine reported a successful pull but has no image ${pulledName}`, reason: 'pulled, but the image is missing afterwards', facts: after };
  let reason = 'not present locally, so it was pulled';
  if (input.policy === 'always') {
    reason = 'the policy is always: the registry was asked for the current version';
    if (facts.localPresent && remoteDigest && facts.localDigest === remoteDigest) reason += '; the local copy was already current (same digest)';
    else if (facts.localPresent && remoteDigest && facts.localDigest) reason += '; the tag had moved, so a newer image was downloaded';
  }
  return success(input, pulled, 'pulled', reason, after);
}

/** Tries one policy; never throws for pull failures (returns them), throws InputError for pool refusals. */
export async function attemptPolicy(input: AttemptInput): Promise<AttemptResult> {
  const { run, request, policy } = input;
  const ref = request.image.ref;
  const local = await inspectImage(run.docker, engineReference(ref, input.pinnedDigest));
  const facts = localFacts(local, input);
  if (policy === 'never') {
    if (local) return success(input, local, 'used-local', 'present locally; the policy is never, so the registry is not asked', facts);
    const message = `image ${input.image} not found locally (pull policy never); pull or load it first (docker pull ${input.image}, or jobsim image load FILE), or allow pulling with pull_policy: [if-not-present]`;
    return { ok: false, kind: 'not-found', message, reason: 'not present locally and the policy is never', facts, neverMissing: true };
  }
  if (local && policy === 'if-not-present') {
    input.log('Using locally found image version due to "if-not-present" pull policy');
    return success(input, local, 'used-local', 'present locally and the policy is if-not-present', facts);
  }
  if (local && ref.isImageId) return success(input, local, 'used-local', 'referenced by image ID and present locally: an image ID is never pulled', facts);
  if (local && (ref.digest ?? input.pinnedDigest)) {
    return success(input, local, 'used-local', 'referenced by digest and present locally: a digest names exact content, so pulling could not change it', facts);
  }
  if (ref.isImageId) {
    const message = `image ID ${ref.written} is not present locally, and an image ID cannot be pulled`;
    return { ok: false, kind: 'not-found', message, reason: 'an image ID is never pulled and it is not present locally', facts };
  }
  return pullAndInspect(input, facts);
}
