// The image resolver: makes the job's and services' images available the way GitLab Runner's Docker executor
// does (allow-lists, allowed_pull_policies, then each pull policy in turn), and shows every decision as a
// `pull` event plus runner log lines in GitLab's wording.

import { runnerLine } from '../job-run/job-log.js';
import type { PullEvent, PullRefusalRule } from '../../../shared/events.js';
import type { PullPolicy } from '../../../shared/plan.js';
import { InputError } from '../../errors.js';
import type { ImageRequest, ResolveImageFn, ResolvedImage, RunContext } from '../contracts.js';
import { checkAllowList } from './allow-list.js';
import { attemptPolicy, type AttemptResult, type AttemptSettings } from './attempt.js';
import { DEFAULT_RETRY, ImageRefusedError, PullError, type PullFailureKind } from './failure.js';
import { displayName } from './local.js';
import { allowedPolicies, effectivePolicies, formatPolicyList, requestedPolicies } from './policy.js';
import { checkPoolRegistry } from './pool.js';

export { ImageRefusedError, PullError } from './failure.js';

export type ResolverSettings = AttemptSettings;

const DEFAULT_SETTINGS: ResolverSettings = { retry: DEFAULT_RETRY, progressIntervalMs: 250 };

type PullEventBase = Omit<PullEvent, 'runId' | 'time' | 'attempt' | 'policy' | 'decision' | 'reason' | 'localPresent'>;

function adviceFor(kind: PullFailureKind, image: string, policies: PullPolicy[]): string {
  switch (kind) {
    case 'not-found':
      return policies.includes('never')
        ? `pull or load the image first (\`docker pull ${image}\`, or \`jobsim image load FILE\`), or allow pulling with pull_policy: [if-not-present]`
        : `check the image name and tag; \`jobsim image check ${image}\` asks the registry without pulling`;
    case 'auth':
      return 'log in to the registry (`docker login`), set DOCKER_AUTH_CONFIG, or pass --docker-config DIR';
    case 'transient':
      return 'the registry could not be reached; with pull_policy: [always, if-not-present] a local copy is used when it is unreachable';
    case 'canceled':
      return 'the run was canceled';
    case 'other':
      return `\`jobsim image check ${image}\` shows what the registry answers`;
  }
}

/** Emits the refusal as a `pull` event, then rethrows it. Only allowed_pull_policies throws a plain InputError. */
function refuse(run: RunContext, base: PullEventBase, policy: PullPolicy, error: InputError, attempt = 1): never {
  const refusedBy: PullRefusalRule = error instanceof ImageRefusedError ? error.rule : 'allowed-pull-policies';
  run.emit({ ...base, attempt, policy, decision: 'refused', reason: error.message, refusedBy, localPresent: false });
  throw error;
}

/** Creates a resolver; tests shorten the retry backoff through `settings`. */
export function createImageResolver(settings: Partial<ResolverSettings> = {}): ResolveImageFn {
  const config: ResolverSettings = { ...DEFAULT_SETTINGS, ...settings };
  return async (request: ImageRequest, run: RunContext): Promise<ResolvedImage> => {
    const { ref, pull } = request.image;
    const image = displayName(ref);
    const runner = run.plan.runner;
    const requested = requestedPolicies(pull);
    const base: PullEventBase = {
      type: 'pull',
      job: request.job,
      container: request.container,
      image: ref.written,
      normalized: ref.normalized,
      policies: requested,
      policySource: pull.source,
      allowedPolicies: allowedPolicies(pull),
      // Nothing is tried until the allow-lists pass: a refusal there has an empty effective list.
      effectivePolicies: [],
    };
    const firstPolicy = requested[0] ?? 'always';

    // Refusals come before any pull: allow-lists, pull policy restrictions, pool registries.
    let policies: PullPolicy[];
    try {
      const isService = request.container !== 'build';
      checkAllowList({
        kind: isService ? 'services' : 'images',
        image: ref.written,
        patterns: isService ? runner.allowedServices : runner.allowedImages,
        ...(isService || runner.defaultImage === undefined ? {} : { defaultImage: runner.defaultImage }),
        ...(request.image.where ? { where: request.image.where } : {}),
      });
      policies = effectivePolicies(pull);
      base.effectivePolicies = policies;
      if (run.options.pool && !ref.isImageId) checkPoolRegistry(run.options.pool, ref.written, ref.registry);
    } catch (error) {
      if (error instanceof InputError) refuse(run, base, firstPolicy, error);
      throw error;
    }

    const log = (text: string): void => runnerLine(run, request.job, text);
    log(`Using effective pull policy of ${formatPolicyList(policies)} for container ${image}`);
    const pinned = ref.digest || ref.isImageId ? undefined : run.options.pinnedDigests?.[ref.normalized];
    if (pinned) log(`Using digest ${pinned} for ${image}, pinned by a previous run`);

    let last: Extract<AttemptResult, { ok: false }> | undefined;
    for (const [index, policy] of policies.entries()) {
      if (index > 0) log(`Attempt #${index + 1}: Trying "${policy}" pull policy`);
      const started = Date.now();
      let result: AttemptResult;
      try {
        result = await attemptPolicy({ request, run, policy, image, pinnedDigest: pinned, settings: config, log });
      } catch (error) {
        // A pool refuses a private image only once jobsim knows it would send credentials.
        if (error instanceof InputError) refuse(run, base, policy, error, index + 1);
        throw error;
      }
      const durationMs = Date.now() - started;
      const event = { ...base, attempt: index + 1, policy, durationMs, ...result.facts };
      if (result.ok) {
        run.emit({ ...event, decision: result.decision, reason: result.reason });
        return result.image;
      }
      run.emit({ ...event, decision: 'failed', reason: result.reason });
      log(`WARNING: Failed to pull image with policy "${policy}": ${result.message}`);
      last = result;
      if (result.kind === 'canceled') break;
    }
    const kind = last?.kind ?? 'other';
    const message = last?.kind === 'not-found' && last.neverMissing ? last.message : `failed to pull image "${image}" with specified policies ${formatPolicyList(policies)}: ${last?.message ?? 'no policy to try'}`;
    throw new PullError(message, { image, kind, advice: adviceFor(kind, image, policies) });
  };
}

/** The resolver the engine uses (GitLab's retry backoff: 3 retries, 2–10 s). */
export const resolveImage: ResolveImageFn = createImageResolver();
