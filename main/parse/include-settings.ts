// How includes reach servers and local checkouts: the options a load gets (`--project-dir`,
// `--gitlab-token`/GITLAB_TOKEN, the server URL, offline mode) → the state include.ts works with.

import { join } from 'node:path';
import { dataDir } from '../history/paths.js';
import { IncludeCache } from './include-cache.js';
import { DEFAULT_TIMEOUT_MS, IncludeHttp } from './include-http.js';
import type { GitChanges } from './git-changes.js';
import type { IncludeState } from './include.js';
import { predefinedVariables, type PipelineFacts } from './predefined.js';
import type { Problems } from './problems.js';
import type { ProjectFiles } from './project-glob.js';
import { lookupIn, resolveVariables, type RawVariable } from './variables.js';

export interface IncludeOptions {
  /** `group/name` → a local checkout of that project (`--project-dir group/name=PATH`). */
  projectDirs?: Record<string, string>;
  /** For the GitLab API (`--gitlab-token`); GITLAB_TOKEN from the environment otherwise. */
  gitlabToken?: string;
  /** No network at all: cached copies only (also JOBSIM_OFFLINE=1). */
  offline?: boolean;
  /** Where fetched includes are kept; `<data dir>/include-cache` by default. */
  cacheDir?: string;
  timeoutMs?: number;
}

/** https://host of the origin remote (`git@host:group/p.git`, `https://host:8443/group/p`, `ssh://git@host:22/…`). */
export function serverUrlFromOrigin(originUrl: string | undefined): string | undefined {
  if (!originUrl) return undefined;
  const scp = /^[^/@]+@([^:/]+):(?!\/)/.exec(originUrl);
  if (scp) return `https://${scp[1]}`;
  try {
    const url = new URL(originUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.protocol}//${url.host}`;
    if (url.protocol === 'ssh:' || url.protocol === 'git:') return url.hostname ? `https://${url.hostname}` : undefined;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Variables set per job (or per runner) do not exist when GitLab reads `include:`. */
const JOB_SCOPED = /^(CI_JOB_|CI_NODE_|CI_RUNNER_|CI_BUILDS_DIR$|CI_PROJECT_DIR$|CI_PIPELINE_(ID|IID|URL|CREATED_AT)$|CI_DISPOSABLE_ENVIRONMENT$)/;

export interface IncludeInputs {
  projectDir: string;
  files: ProjectFiles;
  /** What `include:rules:changes` compares against. */
  changes: GitChanges;
  problems: Problems;
  facts: PipelineFacts;
  serverUrl?: string;
  cliVariables: RawVariable[];
  secretVariables: RawVariable[];
  options: IncludeOptions;
  env?: NodeJS.ProcessEnv;
}

export function includeState(inputs: IncludeInputs): IncludeState {
  const env = inputs.env ?? process.env;
  const options = inputs.options;
  const predefined = predefinedVariables(inputs.facts, { name: '', stage: '', index: 0, imageName: '', timeoutMs: 0 }).filter((v) => !JOB_SCOPED.test(v.key));
  const serverUrl = inputs.serverUrl ?? serverUrlFromOrigin(inputs.facts.git.originUrl);
  const serverVariables: RawVariable[] = serverUrl
    ? [{ key: 'CI_SERVER_URL', value: serverUrl }, { key: 'CI_SERVER_FQDN', value: new URL(serverUrl).host }, { key: 'CI_SERVER_HOST', value: new URL(serverUrl).hostname }].map((v) => ({ ...v, source: 'predefined', masked: false, expand: false }))
    : [];
  const variables = resolveVariables([...serverVariables, ...predefined, ...inputs.cliVariables, ...inputs.secretVariables]);
  const masked = new Set(variables.filter((v) => v.masked).map((v) => v.key));
  const projectDirs = new Map(Object.entries(options.projectDirs ?? {}).map(([project, dir]) => [project.replace(/^\/+|\/+$/g, '').toLowerCase(), dir]));
  const token = options.gitlabToken ?? (env.GITLAB_TOKEN || undefined);
  const offline = options.offline ?? env.JOBSIM_OFFLINE === '1';
  return {
    projectDir: inputs.projectDir,
    files: inputs.files,
    changes: inputs.changes,
    problems: inputs.problems,
    access: {
      ...(serverUrl ? { serverUrl } : {}),
      ...(token ? { token } : {}),
      http: new IncludeHttp({ offline, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }),
      cache: new IncludeCache(options.cacheDir ?? join(dataDir(env), 'include-cache')),
    },
    projectDirs,
    lookup: lookupIn(variables),
    isMasked: (name) => masked.has(name),
    count: 0,
    unreachable: [],
  };
}
