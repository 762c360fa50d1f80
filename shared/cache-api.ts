// Types of the cache browser (CLI `jobsim cache …` and the UI). Pure: no Node, DOM or Electron imports.

/** Who last saved a cache. */
export interface CacheWriter {
  runId: string;
  job: string;
  /** Epoch ms. */
  time: number;
}

/** One cache (one project and key) as listed by the browser. */
export interface CacheVolumeInfo {
  /** `namespace/project` the cache belongs to. */
  project: string;
  key: string;
  /** Docker volume name, or the host folder when the runner sets `cache_dir`. */
  volume: string;
  storage: 'volume' | 'host-folder';
  /** Apparent size of the cached files; undefined until first measured. */
  sizeBytes?: number;
  files?: number;
  lastWriter?: CacheWriter;
  /** Epoch ms of the last restore or save. */
  lastUsed?: number;
  /** Epoch ms. */
  created: number;
  /** Whether the cache holds any saved content yet. */
  empty: boolean;
}

export interface CacheTreeNode {
  /** Path relative to the cache root (the project dir of the job that saved it), `.` for the root. */
  path: string;
  name: string;
  kind: 'dir' | 'file' | 'symlink' | 'other';
  /** For files: their size; for directories: the sum of everything below. */
  sizeBytes: number;
  /** For symlinks: where they point (never followed). */
  linkTarget?: string;
  children?: CacheTreeNode[];
}

export interface CacheFileContent {
  path: string;
  sizeBytes: number;
  /** UTF-8 text, cut at the limit asked for. */
  text: string;
  truncated: boolean;
}

/** What to clear: one cache, every cache of a project, or caches not used for N days. */
export type CacheClearRequest =
  | { kind: 'volume'; volume: string }
  | { kind: 'project'; project: string }
  /** Not used (restored or saved) for `days`; only within `project` when given. */
  | { kind: 'older-than'; days: number; project?: string }
  | { kind: 'all' };

export interface CacheClearResult {
  removed: string[];
  /** Volumes that could not be removed, e.g. because a running job uses them. */
  failed: { volume: string; reason: string }[];
}

