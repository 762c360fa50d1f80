// What a server would have set: CI_SERVER_*, CI_PROJECT_*, CI_REGISTRY*, CI_DEFAULT_BRANCH from the origin
// remote in its three forms, or from --server-url / --project-path / --default-branch / --registry.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../shared/image-ref.js';
import { serverFacts } from '../../../main/parse/server-facts.js';
import { serverVariables } from '../../../main/parse/server-variables.js';
import { job, load, variable, writeProject } from './helpers.js';

const vars = (originUrl: string | undefined, choice = {}): Record<string, string | undefined> =>
  Object.fromEntries(serverVariables(serverFacts({ originUrl }, choice, '/home/me/shop')));

describe('server variables from the origin remote', () => {
  it('https://host/group/sub/name.git', () => {
    expect(vars('https://gitlab.example.com/Acme/tools/Shop.git')).toMatchObject({
      CI_SERVER_URL: 'https://gitlab.example.com',
      CI_SERVER_PROTOCOL: 'https',
      CI_SERVER_HOST: 'gitlab.example.com',
      CI_SERVER_PORT: '443',
      CI_SERVER_FQDN: 'gitlab.example.com',
      CI_API_V4_URL: 'https://gitlab.example.com/api/v4',
      CI_API_GRAPHQL_URL: 'https://gitlab.example.com/api/graphql',
      CI_PROJECT_PATH: 'Acme/tools/Shop',
      CI_PROJECT_PATH_SLUG: 'acme-tools-shop',
      CI_PROJECT_NAMESPACE: 'Acme/tools',
      CI_PROJECT_ROOT_NAMESPACE: 'Acme',
      CI_PROJECT_NAME: 'Shop',
      CI_PROJECT_URL: 'https://gitlab.example.com/Acme/tools/Shop',
      CI_REGISTRY: 'gitlab.example.com:5050',
      CI_REGISTRY_IMAGE: 'gitlab.example.com:5050/acme/tools/shop',
      CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX: 'gitlab.example.com:443/Acme/dependency_proxy/containers',
    });
  });

  it('git@host:group/name.git (scp form): the web server is https on 443', () => {
    expect(vars('git@gitlab.com:acme/shop.git')).toMatchObject({
      CI_SERVER_URL: 'https://gitlab.com',
      CI_SERVER_PORT: '443',
      CI_SERVER_SHELL_SSH_HOST: 'gitlab.com',
      CI_SERVER_SHELL_SSH_PORT: '22',
      CI_PROJECT_PATH: 'acme/shop',
      CI_REGISTRY: 'registry.gitlab.com',
      CI_REGISTRY_IMAGE: 'registry.gitlab.com/acme/shop',
      CI_PAGES_DOMAIN: 'gitlab.io',
      CI_PAGES_URL: 'https://acme.gitlab.io/shop',
    });
  });

  it('GitLab.com Pages: a subgroup project under the namespace site, a site project at its root', () => {
    expect(vars('https://gitlab.com/Acme/sub/app.git').CI_PAGES_URL).toBe('https://acme.gitlab.io/sub/app');
    expect(vars('git@gitlab.com:acme/acme.gitlab.io.git').CI_PAGES_URL).toBe('https://acme.gitlab.io');
  });

  it('ssh://git@host:2222/group/name.git: the ssh port is not the web port', () => {
    expect(vars('ssh://git@git.corp.example:2222/team/app.git')).toMatchObject({
      CI_SERVER_URL: 'https://git.corp.example',
      CI_SERVER_PORT: '443',
      CI_SERVER_SHELL_SSH_PORT: '2222',
      CI_PROJECT_PATH: 'team/app',
    });
    // Only GitLab.com's Pages domain is known.
    expect(vars('ssh://git@git.corp.example:2222/team/app.git')).not.toHaveProperty('CI_PAGES_URL');
  });

  it('http on a custom port keeps it in the URL, the FQDN and the registry stays on the host', () => {
    expect(vars('http://user:s3cret@localhost:8080/team/app')).toMatchObject({
      CI_SERVER_URL: 'http://localhost:8080',
      CI_SERVER_PROTOCOL: 'http',
      CI_SERVER_PORT: '8080',
      CI_SERVER_FQDN: 'localhost:8080',
      CI_PROJECT_URL: 'http://localhost:8080/team/app',
      CI_REGISTRY: 'localhost:5050',
    });
    // Credentials in the remote never reach a variable.
    expect(JSON.stringify(vars('http://user:s3cret@localhost:8080/team/app'))).not.toContain('s3cret');
  });

  it('without a usable origin: a server that never resolves and local/<folder>', () => {
    for (const origin of [undefined, '/srv/git/shop.git', 'file:///srv/git/shop.git']) {
      expect(vars(origin)).toMatchObject({ CI_SERVER_URL: 'https://gitlab.invalid', CI_PROJECT_PATH: 'local/shop', CI_REGISTRY_IMAGE: 'gitlab.invalid:5050/local/shop' });
    }
    // A path GitLab could not have (it would climb out of /builds) is not taken from the remote.
    expect(vars('git@host.example:../../etc/passwd')).toMatchObject({ CI_SERVER_HOST: 'host.example', CI_PROJECT_PATH: 'local/shop' });
  });
});

describe('--server-url, --project-path, --registry, --default-branch', () => {
  it('override what origin says; a relative URL root is kept and stripped from the origin path', () => {
    expect(vars('https://host.example/gitlab/acme/shop.git', { serverUrl: 'https://host.example/gitlab/' })).toMatchObject({
      CI_SERVER_URL: 'https://host.example/gitlab',
      CI_API_V4_URL: 'https://host.example/gitlab/api/v4',
      CI_PROJECT_PATH: 'acme/shop',
      CI_PROJECT_URL: 'https://host.example/gitlab/acme/shop',
    });
    expect(vars(undefined, { serverUrl: 'https://gitlab.example.com:8443', projectPath: 'Group/Sub/App', registry: 'registry.example.com' })).toMatchObject({
      CI_SERVER_FQDN: 'gitlab.example.com:8443',
      CI_SERVER_PORT: '8443',
      CI_PROJECT_PATH: 'Group/Sub/App',
      CI_REGISTRY: 'registry.example.com',
      CI_REGISTRY_IMAGE: 'registry.example.com/group/sub/app',
    });
  });

  it('refuse bad values with a clear message', () => {
    expect(() => vars(undefined, { serverUrl: 'gitlab.example.com' })).toThrow('--server-url "gitlab.example.com" is not a URL: give the GitLab address, e.g. https://gitlab.example.com');
    expect(() => vars(undefined, { serverUrl: 'ftp://x.example' })).toThrow('--server-url must be an http or https URL, got ftp');
    expect(() => vars(undefined, { serverUrl: 'https://me:tok@x.example' })).toThrow(/must not hold a user name or password/);
    expect(() => vars(undefined, { projectPath: 'shop' })).toThrow(/--project-path "shop" is not a GitLab project path: give group\/name/);
    expect(() => vars(undefined, { projectPath: 'a/../b' })).toThrow(/is not a GitLab project path/);
    expect(() => vars(undefined, { registry: 'https://registry.example.com' })).toThrow(/--registry "https:\/\/registry.example.com" should be a host\[:port\]/);
    expect(() => serverFacts({}, { defaultBranch: 'bad..name' }, '/x')).toThrow('--default-branch "bad..name" is not a valid git ref name');
  });
});

describe('in a loaded pipeline', () => {
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const repo = (files: Record<string, string>, branch: string): string => {
    const dir = writeProject(files);
    git(dir, 'init', '-q', '-b', branch);
    git(dir, 'config', 'user.email', 'dev@example.com');
    git(dir, 'config', 'user.name', 'Dev');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    return dir;
  };

  it('an image named $CI_REGISTRY_IMAGE/ci:latest resolves to a valid reference', async () => {
    const dir = repo({ '.gitlab-ci.yml': 't:\n  image: $CI_REGISTRY_IMAGE/ci:latest\n  script: x\n' }, 'main');
    git(dir, 'remote', 'add', 'origin', 'git@gitlab.example.com:Acme/Shop.git');
    const plan = await load(dir);
    const t = job(plan, 't');
    expect(t.image.ref.written).toBe('gitlab.example.com:5050/acme/shop/ci:latest');
    expect(parseImageRef(t.image.ref.written)).toMatchObject({ registry: 'gitlab.example.com:5050', repository: 'acme/shop/ci' });
    expect(t.projectDirInContainer).toBe('/builds/Acme/Shop');
  });

  it('CI_DEFAULT_BRANCH: --default-branch, else origin/HEAD, else master when only master exists, else main', async () => {
    const dir = repo({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n' }, 'master');
    expect(variable(job(await load(dir), 't'), 'CI_DEFAULT_BRANCH')).toBe('master');
    git(dir, 'update-ref', 'refs/remotes/origin/trunk', 'HEAD');
    git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    const fromRemote = await load(dir);
    expect(variable(job(fromRemote, 't'), 'CI_DEFAULT_BRANCH')).toBe('trunk');
    // On master, which is not the default branch now, the rule leaves the job out.
    expect(job(fromRemote, 't').when).toBe('never');
    const given = await load(dir, { server: { defaultBranch: 'master' } });
    expect([variable(job(given, 't'), 'CI_DEFAULT_BRANCH'), job(given, 't').when]).toEqual(['master', 'on_success']);
    // A merge request targets the default branch unless --mr-target says otherwise.
    const mr = await load(dir, { pipeline: { source: 'merge_request_event' }, server: { defaultBranch: 'develop' } });
    expect(variable(job(mr, 't'), 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME')).toBe('develop');
    expect(variable(job(await load(repo({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n' }, 'feature')), 't'), 'CI_DEFAULT_BRANCH')).toBe('main');
  });

  it('--project-path sets the project directory in the containers', async () => {
    const plan = await load(writeProject({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n' }), { server: { projectPath: 'acme/shop', serverUrl: 'https://git.example.org' } });
    expect(plan.projectPath).toBe('acme/shop');
    expect([variable(job(plan, 't'), 'CI_PROJECT_DIR'), variable(job(plan, 't'), 'CI_PROJECT_URL')]).toEqual(['/builds/acme/shop', 'https://git.example.org/acme/shop']);
  });
});
