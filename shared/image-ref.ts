// Image references, normalised exactly as Docker does. Pure: used by the parser, the engine and the UI.

import { shortened } from './shortened.js';

export interface ImageRef {
  /** As the user wrote it, e.g. `ruby:3.3` or `127.0.0.1:5000/team/app@sha256:…`. */
  written: string;
  /** Fully qualified, e.g. `docker.io/library/ruby:3.3`; a digest reference keeps its digest. */
  normalized: string;
  /** Registry host (with port), e.g. `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Path inside the registry, e.g. `library/ruby`. */
  repository: string;
  /** Tag; `latest` when neither tag nor digest was given. Absent for digest-only references. */
  tag?: string;
  /** `sha256:…` when the reference pins a digest. */
  digest?: string;
  /** The reference is a local image ID (64 hex digits, bare or `sha256:`-prefixed): never pulled. */
  isImageId: boolean;
}

/** A reference Docker would refuse. The message says what is wrong, for `file:line:col: message`. */
export class InvalidImageRefError extends Error {
  constructor(readonly written: string, reason: string) {
    super(`invalid image reference "${shortened(written)}": ${reason}`);
    this.name = 'InvalidImageRefError';
  }
}

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';

// The grammar of Docker's distribution/reference package.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?([a-f0-9]{64})$/;
const NAME_MAX = 255;
/** Longer than any valid reference (a 255-character name, a 128-character tag and a sha512 digest). */
export const REFERENCE_MAX = 1024;

// The algorithms go-digest registers, with the length of their lowercase hex encoding.
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why a digest is refused (as reference.Parse + go-digest would), or undefined when it is valid. */
function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `"${digest}" is not a valid digest (expected sha256:<64 hex digits>)`;
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `unsupported digest algorithm "${algorithm}" (use sha256, sha384 or sha512)`;
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return `a ${algorithm} digest has exactly ${length} lowercase hex digits`;
  return undefined;
}

/** Splits `host[:port]/path` the way Docker does: the first part is a registry only if it looks like a host. */
function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    const repository = slash < 0 ? `library/${name}` : name;
    return { registry: DEFAULT_REGISTRY, repository };
  }
  const registry = first === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : first;
  let repository = name.slice(slash + 1);
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

/**
 * Parses and normalises an image reference exactly as `docker pull` does (ParseNormalizedNamed):
 * `ruby` → `docker.io/library/ruby:latest`, `127.0.0.1:5000/team/app@sha256:…` keeps its digest,
 * a bare 64-hex ID (or `sha256:<64 hex>`) is a local image ID that is never pulled.
 */
export function parseImageRef(written: string): ImageRef {
  const text = written.trim();
  if (text === '') throw new InvalidImageRefError(written, 'it is empty');
  if (text.length > REFERENCE_MAX) throw new InvalidImageRefError(written, `it is ${text.length} characters long; no valid reference has more than ${REFERENCE_MAX}`);
  const id = IMAGE_ID.exec(text);
  if (id) {
    const digest = `sha256:${id[1]}`;
    return { written, normalized: digest, registry: '', repository: '', digest, isImageId: true };
  }
  if (/\s/.test(text)) throw new InvalidImageRefError(written, 'it contains whitespace');
  if (text.includes('$')) throw new InvalidImageRefError(written, 'it still contains a variable ($…) after expansion; is the variable defined?');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) throw new InvalidImageRefError(written, problem);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InvalidImageRefError(written, `"${tag}" is not a valid tag (letters, digits, _ . -; at most 128; not starting with . or -)`);
  }
  if (rest === '') throw new InvalidImageRefError(written, 'the image name is missing');
  if (rest.length > NAME_MAX) throw new InvalidImageRefError(written, `the name is longer than ${NAME_MAX} characters`);

  const { registry, repository } = splitRegistry(rest);
  if (registry !== DEFAULT_REGISTRY && !DOMAIN.test(registry)) throw new InvalidImageRefError(written, `"${registry}" is not a valid registry host`);
  if (repository !== repository.toLowerCase()) throw new InvalidImageRefError(written, 'repository name must be lowercase');
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) throw new InvalidImageRefError(written, `"${component}" is not a valid name component (lowercase letters, digits and single . _ __ - separators)`);
  }
  if (tag === undefined && digest === undefined) tag = 'latest';
  const normalized = `${registry}/${repository}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return { written, normalized, registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}), isImageId: false };
}

/** The short form `docker images` shows: `ruby:3.3` for docker.io/library/ruby:3.3. */
export function familiarName(ref: ImageRef): string {
  if (ref.isImageId) return ref.normalized;
  const name = ref.registry === DEFAULT_REGISTRY ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
