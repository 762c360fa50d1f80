// An artifact whose path holds a secret (`out/$TOKEN.txt`) must not land on disk under that name: the
// run's folder is history, kept and bundled. Such an entry is stored, and passed to later jobs, with the
// secret replaced by `[MASKED]` in its name; the job log says so.

import { createMasker } from '../../../shared/masking.js';

export interface ArtifactNames {
  /** The name to store `path` under (project-relative, `/`-separated). */
  stored(path: string): string;
  /** A symlink's target with any secret masked, so the link still leads to the masked name. */
  linkTarget(target: string): string;
}

export function artifactNames(secrets: readonly string[] | undefined, warn: (text: string) => void): ArtifactNames {
  const masker = createMasker(secrets ?? []);
  const told = new Set<string>();
  return {
    stored(path) {
      if (masker.empty) return path;
      const masked = masker.mask(path);
      if (masked !== path && !told.has(masked)) {
        told.add(masked);
        // `masked` is all that is printed: the original name is the secret.
        warn(`${masked}: its name holds the value of a masked variable; stored and passed on as ${masked}`);
      }
      return masked;
    },
    linkTarget: (target) => (masker.empty ? target : masker.mask(target)),
  };
}
