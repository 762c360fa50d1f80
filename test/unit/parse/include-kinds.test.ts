// Remote, project, template and component includes against a GitLab-shaped server on loopback; offline
// copies; unreachable includes; spec:inputs. No traffic leaves 127.0.0.1.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { job, load, variable, writeProject } from './helpers.js';

const TOKEN = 'glpat-secret-token-value';
const seen: { url: string; token?: string }[] = [];
let server: Server;
let base = '';

function answer(req: IncomingMessage): { status: number; body: string } {
  const url = req.url ?? '';
  if (url === '/ci/remote.yml') return { status: 200, body: '.remote_tpl:\n  image: busybox:1.36\n  script: [echo from remote]\n' };
  if (url === '/api/v4/projects/group%2Ftemplates') return { status: 200, body: JSON.stringify({ default_branch: 'trunk' }) };
  if (url === '/api/v4/projects/group%2Ftemplates/repository/files/ci%2Fbase.yml/raw?ref=trunk') return { status: 200, body: '.base:\n  image: busybox:1.36\n  script: [echo from project]\n' };
  if (url === '/api/v4/templates/gitlab_ci_ymls/Jobs%2FLint') return { status: 200, body: JSON.stringify({ name: 'Jobs/Lint', content: 'lint:\n  image: busybox:1.36\n  script: [echo lint]\n' }) };
  if (url === '/api/v4/projects/comp%2Flib/repository/files/templates%2Fgreet.yml/raw?ref=1.0.0') {
    return { status: 200, body: 'spec:\n  inputs:\n    who:\n      default: world\n---\ngreet-$[[ inputs.who ]]:\n  image: busybox:1.36\n  script:\n    - "echo hello $[[ inputs.who | truncate(0,3) ]]"\n' };
  }
  return { status: 404, body: '{"message":"404 Not Found"}' };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', token: req.headers['private-token'] as string | undefined });
    const { status, body } = answer(req);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const online = (cacheDir: string) => ({ serverUrl: base, includes: { offline: false, cacheDir, gitlabToken: TOKEN, timeoutMs: 3000 } });

describe('include:remote', () => {
  it('fetches over HTTP, keeps a copy, and uses it offline with its age', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'jobsim-inc-'));
    const dir = writeProject({ '.gitlab-ci.yml': `include:\n  - remote: ${base}/ci/remote.yml\nt:\n  extends: .remote_tpl\n` });
    expect(job(await load(dir, online(cacheDir)), 't').script).toEqual(['echo from remote']);
    expect(seen.find((s) => s.url === '/ci/remote.yml')?.token).toBeUndefined();
    const offline = await load(dir, { includes: { offline: true, cacheDir } });
    expect(job(offline, 't').script).toEqual(['echo from remote']);
    expect(offline.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^include:remote .*: jobsim works offline .*; using the copy fetched less than a minute ago \(20\d\d-/)]);
  });

  it('reports a 404 with GitLab\'s words', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': `include: ${base}/nothing.yml\nt:\n  image: busybox:1.36\n  script: x\n` });
    await expect(load(dir, online(mkdtempSync(join(tmpdir(), 'jobsim-inc-'))))).rejects.toThrow(`.gitlab-ci.yml:1:10: Remote file \`${base}/nothing.yml\` could not be fetched because of HTTP code \`404\` error!`);
  });
});

describe('an unreachable include', () => {
  it('is one warning; other jobs are listed, jobs that extend, reference or need its content are broken', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': [
        'include:', '  - remote: https://example.invalid/t.yml',
        'own:', '  image: busybox:1.36', '  script: [echo own]',
        'ext:', '  extends: .missing',
        'ref:', '  image: busybox:1.36', '  script: [!reference [.missing, script]]',
        'need:', '  image: busybox:1.36', '  script: x', '  needs: [from-include]', '',
      ].join('\n'),
    });
    const plan = await load(dir);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]!.message).toMatch(/^include:remote https:\/\/example\.invalid\/t\.yml cannot be read: .* To use it, run jobsim once while online/);
    expect(plan.jobs.map((j) => [j.name, j.blocked?.kind])).toEqual([['own', undefined], ['ext', 'broken'], ['ref', 'broken'], ['need', 'broken']]);
    expect(job(plan, 'ext').blocked?.message).toBe('extends ".missing", which is probably in the unreachable include remote https://example.invalid/t.yml');
  });
});

describe('include:project', () => {
  it('reads the API: default branch, then the raw file, with the token only in the header', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'jobsim-inc-'));
    const dir = writeProject({ '.gitlab-ci.yml': "include:\n  - project: group/templates\n    file: ci/base.yml\nt:\n  extends: .base\n" });
    expect(job(await load(dir, online(cacheDir)), 't').script).toEqual(['echo from project']);
    expect(seen.filter((s) => s.url.startsWith('/api/v4/projects/group')).map((s) => s.token)).toEqual([TOKEN, TOKEN]);
    for (const name of readdirSync(cacheDir)) {
      expect(name).not.toContain(TOKEN);
      expect(readFileSync(join(cacheDir, name), 'utf8')).not.toContain(TOKEN);
    }
  });

  it('reads a local checkout: the ref through git, the working tree without one', async () => {
    const checkout = writeProject({ 'ci/base.yml': '.base:\n  image: busybox:1.36\n  script: [echo committed]\n' });
    const g = (...args: string[]) => execFileSync('git', ['-C', checkout, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args]);
    g('init', '-q', '-b', 'main');
    g('add', '-A');
    g('commit', '-qm', 'one');
    g('tag', 'v1');
    execFileSync('sh', ['-c', `printf '.base:\\n  image: busybox:1.36\\n  script: [echo edited]\\n' > ${checkout}/ci/base.yml`]);
    const withRef = writeProject({ '.gitlab-ci.yml': "include:\n  - project: Group/Templates\n    ref: v1\n    file: [/ci/base.yml]\nt:\n  extends: .base\n" });
    const options = { includes: { offline: true, projectDirs: { 'group/templates': checkout } } };
    expect(job(await load(withRef, options), 't').script).toEqual(['echo committed']);
    const noRef = writeProject({ '.gitlab-ci.yml': "include:\n  - project: group/templates\n    file: ci/base.yml\nt:\n  extends: .base\n" });
    expect(job(await load(noRef, options), 't').script).toEqual(['echo edited']);
    const badRef = writeProject({ '.gitlab-ci.yml': "include:\n  - project: group/templates\n    ref: nope\n    file: ci/base.yml\nt:\n  extends: .base\n" });
    await expect(load(badRef, options)).rejects.toThrow('Project `group/templates` reference `nope` does not exist!');
  });
});

describe('include:template and include:component', () => {
  it('reads templates from the server and components from the project templates/ folder, with inputs', async () => {
    const host = base.replace('http://', '');
    const dir = writeProject({ '.gitlab-ci.yml': `include:\n  - template: Jobs/Lint.gitlab-ci.yml\n  - component: ${host}/comp/lib/greet@1.0.0\n    inputs:\n      who: everyone\n` });
    const plan = await load(dir, online(mkdtempSync(join(tmpdir(), 'jobsim-inc-'))));
    expect(plan.jobs.map((j) => j.name)).toEqual(['lint', 'greet-everyone']);
    expect(job(plan, 'greet-everyone').script).toEqual(['echo hello eve']);
  });
});

describe('spec:inputs', () => {
  const header = 'spec:\n  inputs:\n    stage:\n      default: test\n    level:\n      type: number\n      options: [1, 2]\n      default: 1\n    name:\n      regex: ^[a-z]+$\n    flags:\n      type: array\n      default: [-a, -b]\n---\n';
  const body = 'job-$[[ inputs.name ]]:\n  stage: $[[ inputs.stage ]]\n  image: busybox:1.36\n  variables:\n    LEVEL: "L$[[ inputs.level ]]"\n  script:\n    - echo start\n    - $[[ inputs.flags ]]\n';
  const project = (inputs: string) => writeProject({ '.gitlab-ci.yml': `include:\n  - local: ci/t.yml\n    inputs:\n${inputs}`, 'ci/t.yml': header + body });

  it('interpolates defaults and given values, splicing a list input into a list', async () => {
    const plan = await load(project('      name: web\n'));
    const j = job(plan, 'job-web');
    expect([j.stage, variable(j, 'LEVEL'), j.script]).toEqual(['test', 'L1', ['echo start', '-a', '-b']]);
  });

  it.each([
    ['      level: 2\n', '`name` input: required value has not been provided'],
    ['      name: web\n      extra: 1\n', 'unknown input arguments: extra'],
    ['      name: web\n      level: three\n', '`level` input: provided value is not a number'],
    ['      name: web\n      level: 3\n', '`level` input: `3` cannot be used because it is not in the list of the allowed options'],
    ['      name: Web\n', '`name` input: provided value does not match required RegEx pattern'],
  ])('rejects %j as GitLab does', async (inputs, message) => {
    await expect(load(project(inputs))).rejects.toThrow(`\`ci/t.yml\`: ${message}`);
  });

  it('reads a header on the main file with its defaults, and refuses inputs for a file without one', async () => {
    const root = writeProject({ '.gitlab-ci.yml': 'spec:\n  inputs:\n    skip:\n      type: boolean\n      default: false\n---\nt:\n  image: busybox:1.36\n  variables:\n    SKIP: "skip=$[[ inputs.skip ]]"\n  script: x\n' });
    expect(variable(job(await load(root), 't'), 'SKIP')).toBe('skip=false');
    const plain = writeProject({ '.gitlab-ci.yml': 'include:\n  - local: ci/p.yml\n    inputs: {a: 1}\n', 'ci/p.yml': 't:\n  image: busybox:1.36\n  script: x\n' });
    await expect(load(plain)).rejects.toThrow('`ci/p.yml`: Given inputs not defined in the `spec` section of the included configuration file');
  });
});

describe('include:local paths', () => {
  it('expands variables and matches GitLab wildcards: ** reaches subfolders, **/ only them', async () => {
    const files = { 'configs/a.yml': 'a:\n  image: busybox:1.36\n  script: x\n', 'configs/sub/b.yml': 'b:\n  image: busybox:1.36\n  script: x\n' };
    const all = writeProject({ ...files, '.gitlab-ci.yml': 'include: configs/**.yml\n' });
    expect((await load(all)).jobs.map((j) => j.name)).toEqual(['a', 'b']);
    const sub = writeProject({ ...files, '.gitlab-ci.yml': 'include: configs/**/*.yml\n' });
    expect((await load(sub)).jobs.map((j) => j.name)).toEqual(['b']);
    const byVar = writeProject({ ...files, '.gitlab-ci.yml': 'include: configs/${WHICH}.yml\n' });
    expect((await load(byVar, { variables: { WHICH: 'a' } })).jobs.map((j) => j.name)).toEqual(['a']);
  });

  it('holds GitLab\'s limit of 150 includes, duplicates counted', async () => {
    const list = Array.from({ length: 151 }, () => '  - ci/same.yml').join('\n');
    const dir = writeProject({ '.gitlab-ci.yml': `include:\n${list}\nt:\n  image: busybox:1.36\n  script: x\n`, 'ci/same.yml': 'variables: {A: "1"}\n' });
    await expect(load(dir)).rejects.toThrow(/:152:5: Maximum of 150 nested includes are allowed!/);
  });
});
