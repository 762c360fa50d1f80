// `rules:exists` with the examples of GitLab's documentation: the files of the checkout (what git tracks
// plus new files it does not ignore), variables expanded, every form GitLab accepts, and inputs that
// once reached a library unchecked (`exists: [""]`).

import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { job, load, writeProject } from './helpers.js';

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
}

const jobWith = (name: string, rules: string, extra = ''): string => `${name}:\n  image: busybox:1.36\n  script: x\n${extra}  rules:\n${rules}`;

describe('rules:exists', () => {
  it('GitLab\'s examples: a file name, a variable holding a glob, and the paths form', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml':
        jobWith('job', '    - exists:\n        - Dockerfile\n') +
        jobWith('job2', '    - exists:\n        - $DOCKERPATH\n', '  variables:\n    DOCKERPATH: "**/Dockerfile"\n') +
        jobWith('job3', '    - exists:\n        paths: ["**/*.go"]\n') +
        jobWith('braced', '    - exists: ["${DIR}/main.c"]\n', '  variables:\n    DIR: src\n') +
        jobWith('unknown-variable', '    - exists: ["$NOT_SET/main.c"]\n'),
      'build/Dockerfile': 'FROM scratch\n',
      'src/main.c': '',
    });
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([
      ['job', 'never'], ['job2', 'on_success'], ['job3', 'never'], ['braced', 'on_success'], ['unknown-variable', 'never'],
    ]);
  });

  it('exists: [""] and exists: [] match nothing and crash nothing; a folder is not a file', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml':
        jobWith('empty-string', '    - exists: [""]\n') +
        jobWith('empty-list', '    - exists: []\n') +
        jobWith('exists-null', '    - exists:\n') +
        jobWith('folder', '    - exists: [src]\n') +
        jobWith('inside-folder', '    - exists: ["src/*"]\n'),
      'src/main.c': '',
    });
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([
      ['empty-string', 'never'], ['empty-list', 'never'], ['exists-null', 'never'], ['folder', 'never'], ['inside-folder', 'on_success'],
    ]);
  });

  it('in a git repository: ignored files do not exist for GitLab, new files do, deleted ones do not', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': jobWith('env', '    - exists: [.env]\n') + jobWith('new', '    - exists: [NEW.md]\n') + jobWith('gone', '    - exists: [OLD.md]\n'),
      '.gitignore': '.env\n',
      'OLD.md': '',
    });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'x');
    writeFileSync(join(dir, '.env'), 'SECRET=1\n');
    writeFileSync(join(dir, 'NEW.md'), '');
    rmSync(join(dir, 'OLD.md'));
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([['env', 'never'], ['new', 'on_success'], ['gone', 'never']]);
  });

  it('exists:project (and ref) is parsed; another project\'s files cannot be seen, which the warning says', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': jobWith('docker build', '    - exists:\n        paths:\n          - "Dockerfile"\n        project: "my-group/my-project"\n        ref: "v1.0.0"\n'),
      Dockerfile: '',
    });
    const plan = await load(dir);
    expect(job(plan, 'docker build').when).toBe('never');
    expect(plan.warnings.map((w) => w.message)).toContain(
      'job "docker build": rules:exists:project "my-group/my-project": jobsim cannot see another project\'s files; this rule\'s exists counts as no file found',
    );
  });

  it('rejects what GitLab rejects: ref without project, no paths, unknown keys, more than 50 paths', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml':
        jobWith('t', '    - exists: {paths: [a], ref: main}\n    - exists: {project: a/b}\n    - exists: {paths: [a], branch: main}\n') +
        jobWith('u', `    - exists: [${Array.from({ length: 51 }, (_, i) => `f${i}`).join(', ')}]\n`),
    });
    await expect(load(dir)).rejects.toThrow(
      [
        '.gitlab-ci.yml:5:15: job "t": rules:exists config missing required keys: project',
        '.gitlab-ci.yml:6:15: job "t": rules:exists config missing required keys: paths',
        '.gitlab-ci.yml:7:28: job "t": rules:exists has unknown key "branch" (allowed: paths, project, ref)',
        '.gitlab-ci.yml:12:15: job "u": rules:exists has too many entries (maximum 50)',
      ].join('\n'),
    );
  });
});
