import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPathFrom, readGitInfo, slug } from '../../../main/parse/git-info.js';
import { job, load, variable, writeProject } from './helpers.js';

describe('project path', () => {
  it('comes from the origin remote in its usual forms', () => {
    expect(projectPathFrom('git@gitlab.com:group/sub/app.git', '/x/y')).toBe('group/sub/app');
    expect(projectPathFrom('https://gitlab.example.com/group/app.git', '/x/y')).toBe('group/app');
    expect(projectPathFrom('ssh://git@gitlab.example.com:2222/group/app', '/x/y')).toBe('group/app');
    expect(projectPathFrom('https://user:token@gitlab.example.com/team/app/', '/x/y')).toBe('team/app');
  });

  it('falls back to local/<folder slug>', () => {
    expect(projectPathFrom(undefined, '/home/me/My Project')).toBe('local/my-project');
  });

  it('slugs like GitLab', () => {
    expect(slug('Feature/ABC_12--x')).toBe('feature-abc-12-x');
    expect(slug('a'.repeat(70))).toHaveLength(63);
  });
});

describe('git data in predefined variables', () => {
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  it('reads commit, branch, message and origin from the local repository', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n' });
    git(dir, 'init', '-q', '-b', 'feature/Login');
    git(dir, 'config', 'user.email', 'dev@example.com');
    git(dir, 'config', 'user.name', 'Dev');
    git(dir, 'remote', 'add', 'origin', 'git@gitlab.example.com:acme/shop.git');
    writeFileSync(`${dir}/file`, 'x');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'Add login $HOME\n\nbody');
    const sha = git(dir, 'rev-parse', 'HEAD');

    const info = await readGitInfo(dir);
    expect(info).toMatchObject({ sha, branch: 'feature/Login', title: 'Add login $HOME', author: 'Dev <dev@example.com>' });

    const plan = await load(dir);
    const t = job(plan, 't');
    expect(plan.projectPath).toBe('acme/shop');
    expect(variable(t, 'CI_COMMIT_SHA')).toBe(sha);
    expect(variable(t, 'CI_COMMIT_SHORT_SHA')).toBe(sha.slice(0, 8));
    expect(variable(t, 'CI_COMMIT_REF_SLUG')).toBe('feature-login');
    expect(variable(t, 'CI_COMMIT_TITLE')).toBe('Add login $HOME');
    expect(variable(t, 'CI_PROJECT_DIR')).toBe('/builds/acme/shop');
    expect(variable(t, 'CI_PROJECT_NAMESPACE')).toBe('acme');
  });

  it('leaves commit variables out when the folder is not a repository', async () => {
    const info = await readGitInfo('/');
    expect(info.sha).toBeUndefined();
  });
});
