// allowed_images / allowed_services from the runner config: glob patterns (doublestar semantics: `*` stays
// inside one path segment, `**` crosses `/`) matched against the image name as written in the job file.
// An empty list allows everything; the runner's own default image is always allowed.

import picomatch from 'picomatch';
import type { SourceLocation } from '../../../shared/plan.js';
import { ImageRefusedError } from './failure.js';

export type AllowListKind = 'images' | 'services';

export interface AllowListCheck {
  kind: AllowListKind;
  /** The image name as written. */
  image: string;
  patterns: readonly string[];
  /** The runner's default image (always allowed, as in GitLab). */
  defaultImage?: string;
  where?: SourceLocation;
}

/** The first pattern the image matches, `undefined` when none does (and the list is not empty). */
export function matchingPattern(image: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => picomatch.isMatch(image, pattern, { dot: true }));
}

/** Throws InputError naming the rule when the image is not on a non-empty allow-list. */
export function checkAllowList(check: AllowListCheck): void {
  if (check.patterns.length === 0) return;
  if (check.defaultImage !== undefined && check.image === check.defaultImage) return;
  if (matchingPattern(check.image, check.patterns) !== undefined) return;
  const list = check.patterns.map((pattern) => `- ${pattern}`).join('\n');
  throw new ImageRefusedError(
    `The "${check.image}" image is not present on list of allowed ${check.kind} (allowed_${check.kind} in the runner config):\n${list}\n` +
      `Please check runner's configuration: https://docs.gitlab.com/runner/configuration/advanced-configuration/#restrict-docker-images-and-services`,
    check.image,
    check.kind === 'images' ? 'allowed-images' : 'allowed-services',
    check.where,
  );
}
