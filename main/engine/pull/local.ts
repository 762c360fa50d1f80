// Names jobsim uses for an image on the engine: what to inspect, what to pull, what to print, and which of an
// image's repo digests belongs to the reference.

import type { ImageRef } from '../../../shared/image-ref.js';
import type { LocalImage } from '../../docker/images.js';
import type { ResolvedImage } from '../contracts.js';

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** A repository name as Docker lists it (`busybox`, `user/app`, `host:5000/x`) → `registry/path`. */
export function fullRepositoryName(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return `docker.io/library/${name}`;
  const first = name.slice(0, slash);
  const isRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isRegistry) return `docker.io/${name}`;
  if (DOCKER_HUB_ALIASES.has(first)) {
    const path = name.slice(slash + 1);
    return `docker.io/${path.includes('/') ? path : `library/${path}`}`;
  }
  return name;
}

/** The image's repo digest (`sha256:…`) for the reference's repository, when the engine recorded one. */
export function repoDigestFor(image: LocalImage, ref: ImageRef): string | undefined {
  const wanted = `${ref.registry}/${ref.repository}`;
  for (const entry of image.repoDigests) {
    const at = entry.lastIndexOf('@');
    if (at < 0) continue;
    if (fullRepositoryName(entry.slice(0, at)) === wanted) return entry.slice(at + 1);
  }
  return undefined;
}

/** The repo digest entry as Docker prints it (`busybox@sha256:…`), for GitLab's "with digest" line. */
export function printedRepoDigest(image: LocalImage, ref: ImageRef): string | undefined {
  const wanted = `${ref.registry}/${ref.repository}`;
  return image.repoDigests.find((entry) => fullRepositoryName(entry.slice(0, entry.lastIndexOf('@'))) === wanted) ?? image.repoDigests[0];
}

/** The name GitLab prints: as written, with `:latest` added to an untagged name. */
export function displayName(ref: ImageRef): string {
  if (ref.isImageId || ref.digest) return ref.written;
  const lastSegment = ref.written.slice(ref.written.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? ref.written : `${ref.written}:latest`;
}

/** The reference to inspect locally and to pull: by digest when one is given or pinned, else by tag. */
export function engineReference(ref: ImageRef, pinnedDigest?: string, registry: string = ref.registry): string {
  if (ref.isImageId) return ref.written;
  const digest = ref.digest ?? pinnedDigest;
  if (digest) return `${registry}/${ref.repository}@${digest}`;
  return `${registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
}

/**
 * The mirror to pull a Docker Hub image from: only when the job file names no registry (`ruby:3.3`,
 * `team/app`); `docker.io/library/ruby:3.3` asks for Docker Hub itself, so the mirror is not used.
 */
export function mirrorFor(ref: ImageRef, mirror: string | undefined): string | undefined {
  if (!mirror || ref.registry !== 'docker.io' || ref.isImageId) return undefined;
  const first = ref.written.split('/')[0] ?? '';
  const namesRegistry = ref.written.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return namesRegistry ? undefined : mirror;
}

/** What the job runner needs from an image. */
export function toResolvedImage(image: LocalImage, digest: string | undefined): ResolvedImage {
  const exposedTcpPorts = image.exposedPorts
    .map((key) => /^(\d+)(?:\/tcp)?$/.exec(key)?.[1])
    .filter((port): port is string => port !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return {
    imageId: image.id,
    ...(digest ? { digest } : {}),
    entrypoint: image.entrypoint,
    cmd: image.cmd,
    exposedTcpPorts,
    ...(image.user ? { user: image.user } : {}),
    ...(image.workingDir ? { workingDir: image.workingDir } : {}),
  };
}
