// Includes read from a server: `remote` (any HTTP(S) URL), and from the GitLab API at CI_SERVER_URL:
// `project` (raw file API), `template` (templates API) and `component` (the component project's
// templates/ folder through the raw file API). Every answer is cached; see include-fetched.ts.
// The token goes only to the GitLab server it was given for, and never into a message or a cache name.

import type { IncludeCache } from './include-cache.js';
import { displayUrl, withCache, type Fetched } from './include-fetched.js';
import type { FetchOutcome, IncludeHttp } from './include-http.js';

export interface ServerAccess {
  /** CI_SERVER_URL, e.g. https://gitlab.example.com; undefined when nothing names a server. */
  serverUrl?: string;
  token?: string;
  http: IncludeHttp;
  cache: IncludeCache;
}

const TEMPLATE_SUFFIX = '.gitlab-ci.yml';

export async function fetchRemote(url: string, access: ServerAccess): Promise<Fetched> {
  const shown = displayUrl(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) return { kind: 'error', message: `Remote file \`${shown}\` does not have a valid address!` };
  const outcome = await access.http.get(url);
  return withCache(access.cache, `remote ${url}`, `remote ${shown}`, outcome, (answer) =>
    answer.kind === 'ok' ? { kind: 'file', text: answer.text } : { kind: 'error', message: `Remote file \`${shown}\` could not be fetched because of HTTP code \`${answer.status}\` error!` },
  );
}

function noServer(): Fetched {
  return { kind: 'unreachable', reason: 'no GitLab server is known (the project has no origin remote)' };
}

function apiHeaders(access: ServerAccess, server: string): Record<string, string> {
  return access.token && access.serverUrl && sameOrigin(server, access.serverUrl) ? { 'PRIVATE-TOKEN': access.token } : {};
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function projectApi(server: string, path: string): string {
  return `${server.replace(/\/+$/, '')}/api/v4/projects/${encodeURIComponent(path)}`;
}

function rawFileUrl(server: string, path: string, file: string, ref: string): string {
  return `${projectApi(server, path)}/repository/files/${encodeURIComponent(file)}/raw?ref=${encodeURIComponent(ref)}`;
}

function denied(access: ServerAccess, project: string, server: string): Fetched {
  if (Object.keys(apiHeaders(access, server)).length === 0) {
    return { kind: 'unreachable', reason: `${displayUrl(server)} does not show project ${project} without a token` };
  }
  return { kind: 'error', message: `Project \`${project}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.` };
}

async function defaultBranch(server: string, project: string, access: ServerAccess): Promise<{ ref: string } | { outcome: FetchOutcome }> {
  const outcome = await access.http.get(projectApi(server, project), apiHeaders(access, server));
  if (outcome.kind !== 'ok') return { outcome };
  try {
    const branch = (JSON.parse(outcome.text) as { default_branch?: unknown }).default_branch;
    if (typeof branch === 'string' && branch !== '') return { ref: branch };
  } catch {
    // not GitLab's answer: handled below
  }
  return { outcome: { kind: 'status', status: 404 } };
}

/** `include:project` through the API: GET /projects/:id (default branch, when no ref) then the raw file. */
export async function fetchProjectFile(project: string, file: string, ref: string | undefined, access: ServerAccess): Promise<Fetched> {
  const server = access.serverUrl;
  if (!server) return noServer();
  const key = `project ${server} ${project.toLowerCase()} ${ref ?? ''} ${file}`;
  const label = `project ${project} ${ref ? `ref ${ref} ` : ''}file ${file}`;
  let resolvedRef = ref;
  if (resolvedRef === undefined) {
    const found = await defaultBranch(server, project, access);
    if ('outcome' in found) {
      return withCache(access.cache, key, label, found.outcome, () => denied(access, project, server));
    }
    resolvedRef = found.ref;
  }
  const outcome = await access.http.get(rawFileUrl(server, project, file, resolvedRef), apiHeaders(access, server));
  return withCache(access.cache, key, label, outcome, (answer) => {
    if (answer.kind === 'ok') return { kind: 'file', text: answer.text };
    if (answer.status === 404 && ref === undefined) return { kind: 'error', message: `Project \`${project}\` file \`${file}\` does not exist!` };
    if (answer.status === 404 && Object.keys(apiHeaders(access, server)).length > 0) {
      return { kind: 'error', message: `Project \`${project}\` file \`${file}\` does not exist at reference \`${ref}\`!` };
    }
    return denied(access, project, server);
  });
}

/** `include:template`: GitLab's own templates, as the server serves them (jobsim ships no copy). */
export async function fetchTemplate(location: string, access: ServerAccess): Promise<Fetched> {
  if (!location.endsWith(TEMPLATE_SUFFIX)) return { kind: 'error', message: `Template file \`${location}\` is not a valid location!` };
  const server = access.serverUrl;
  if (!server) return noServer();
  const name = location.slice(0, -TEMPLATE_SUFFIX.length);
  const url = `${server.replace(/\/+$/, '')}/api/v4/templates/gitlab_ci_ymls/${encodeURIComponent(name)}`;
  const outcome = await access.http.get(url, apiHeaders(access, server));
  return withCache(access.cache, `template ${server} ${name}`, `template ${location}`, outcome, (answer) => {
    if (answer.kind === 'ok') {
      try {
        const content = (JSON.parse(answer.text) as { content?: unknown }).content;
        if (typeof content === 'string') return { kind: 'file', text: content };
      } catch {
        // falls through: not GitLab's answer
      }
    }
    return { kind: 'error', message: `Included file \`${location}\` is empty or does not exist!` };
  });
}

export interface ComponentAddress {
  host: string;
  project: string;
  name: string;
  version: string;
}

/** `host/group/project/name@version` (the host may carry a port). */
export function parseComponent(location: string): ComponentAddress | undefined {
  const at = location.lastIndexOf('@');
  if (at <= 0) return undefined;
  const parts = location.slice(0, at).split('/');
  const version = location.slice(at + 1);
  if (parts.length < 3 || parts.some((p) => p === '') || version === '') return undefined;
  return { host: parts[0]!, project: parts.slice(1, -1).join('/'), name: parts.at(-1)!, version };
}

/** The component's server: CI_SERVER_URL when it is that host (keeps its scheme), else https://host. */
function componentServer(host: string, access: ServerAccess): string {
  if (access.serverUrl) {
    try {
      if (new URL(access.serverUrl).host === host) return access.serverUrl;
    } catch {
      // ignored: a bad server URL is reported where it is given
    }
  }
  return `https://${host}`;
}

async function resolveVersion(server: string, address: ComponentAddress, access: ServerAccess): Promise<string | FetchOutcome> {
  const wanted = address.version;
  if (wanted !== '~latest' && !/^\d+(\.\d+)?$/.test(wanted)) return wanted;
  const outcome = await access.http.get(`${projectApi(server, address.project)}/releases`, apiHeaders(access, server));
  if (outcome.kind !== 'ok') return outcome;
  let tags: string[] = [];
  try {
    tags = (JSON.parse(outcome.text) as { tag_name?: unknown }[]).map((r) => r.tag_name).filter((t): t is string => typeof t === 'string');
  } catch {
    tags = [];
  }
  const matching = wanted === '~latest' ? tags : tags.filter((t) => t === wanted || t.startsWith(`${wanted}.`));
  return matching[0] ?? { kind: 'status', status: 404 };
}

/** `include:component`: templates/NAME.yml, else templates/NAME/template.yml, at the version's ref. */
export async function fetchComponent(location: string, access: ServerAccess): Promise<Fetched> {
  const address = parseComponent(location);
  // `$CI_SERVER_FQDN/group/…` with no server known: the host is what is missing, not a mistake in the file.
  if (!address && !access.serverUrl && location.startsWith('/')) return noServer();
  if (!address) return { kind: 'error', message: `component \`${location}\` is not a valid address: expected host/group/project/name@version` };
  const server = componentServer(address.host, access);
  const key = `component ${server} ${address.project.toLowerCase()} ${address.name} ${address.version}`;
  const notFound: Fetched = { kind: 'error', message: `Component \`${location}\`: content not found (no templates/${address.name}.yml or templates/${address.name}/template.yml at ${address.version})` };
  const ref = await resolveVersion(server, address, access);
  if (typeof ref !== 'string') return withCache(access.cache, key, `component ${location}`, ref, () => notFound);
  const headers = apiHeaders(access, server);
  let outcome = await access.http.get(rawFileUrl(server, address.project, `templates/${address.name}.yml`, ref), headers);
  if (outcome.kind === 'status' && outcome.status === 404) {
    outcome = await access.http.get(rawFileUrl(server, address.project, `templates/${address.name}/template.yml`, ref), headers);
  }
  return withCache(access.cache, key, `component ${location}`, outcome, (answer) => (answer.kind === 'ok' ? { kind: 'file', text: answer.text } : notFound));
}
