// Image references, normalised exactly as Docker does. Pure: used by the parser, the engine and the UI.

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
  /** The reference is a local image ID (`sha256:…` or a 12+ hex prefix): never pulled. */
  isImageId: boolean;
}
