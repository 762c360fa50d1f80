// The predefined variables a GitLab server sets about itself and the project (CI_SERVER_*, CI_PROJECT_*,
// CI_REGISTRY*, CI_API_*), from ServerFacts. Values follow GitLab's own code: CI_REGISTRY_IMAGE is the
// registry plus the project path lowercased (Project#container_registry_url), so it is a valid image name.

import { slug } from './git-info.js';
import type { ServerFacts } from './server-facts.js';

/** GitLab's CI/CD templates pull from here on every instance. */
const TEMPLATE_REGISTRY_HOST = 'registry.gitlab.com';

export function serverVariables(server: ServerFacts): [string, string | undefined][] {
  const path = server.projectPath;
  const namespace = path.split('/').slice(0, -1).join('/');
  const name = path.split('/').at(-1) ?? path;
  const rootNamespace = namespace.split('/')[0] ?? namespace;
  const hostPort = `${server.host}:${server.port}`;
  return [
    ['CI_SERVER_NAME', 'GitLab'],
    ['CI_SERVER_URL', server.url],
    ['CI_SERVER_PROTOCOL', server.protocol],
    ['CI_SERVER_HOST', server.host],
    ['CI_SERVER_PORT', server.port],
    ['CI_SERVER_FQDN', server.fqdn],
    ['CI_SERVER_SHELL_SSH_HOST', server.sshHost],
    ['CI_SERVER_SHELL_SSH_PORT', server.sshPort],
    ['CI_API_V4_URL', `${server.url}/api/v4`],
    ['CI_API_GRAPHQL_URL', `${server.url}/api/graphql`],
    ['CI_PROJECT_PATH', path],
    ['CI_PROJECT_PATH_SLUG', slug(path)],
    ['CI_PROJECT_NAME', name],
    ['CI_PROJECT_NAMESPACE', namespace],
    ['CI_PROJECT_ROOT_NAMESPACE', rootNamespace],
    ['CI_PROJECT_URL', `${server.url}/${path}`],
    ['CI_REGISTRY', server.registry],
    ['CI_REGISTRY_IMAGE', `${server.registry}/${path.toLowerCase()}`],
    ['CI_TEMPLATE_REGISTRY_HOST', TEMPLATE_REGISTRY_HOST],
    ['CI_DEPENDENCY_PROXY_SERVER', hostPort],
    ['CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX', `${hostPort}/${rootNamespace}/dependency_proxy/containers`],
    ['CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX', `${hostPort}/${namespace}/dependency_proxy/containers`],
    ...pagesVariables(server, rootNamespace, path),
  ];
}

/** Only GitLab.com's Pages domain is known; a self-managed instance configures its own. */
function pagesVariables(server: ServerFacts, rootNamespace: string, path: string): [string, string][] {
  if (server.host !== 'gitlab.com') return [];
  const domain = 'gitlab.io';
  const site = `${rootNamespace.toLowerCase()}.${domain}`;
  const rest = path.split('/').slice(1).join('/');
  // A project named after the namespace's site (`group.gitlab.io`) is served at the site's root.
  const url = rest.toLowerCase() === site ? `https://${site}` : `https://${site}/${rest}`;
  return [['CI_PAGES_DOMAIN', domain], ['CI_PAGES_URL', url]];
}
