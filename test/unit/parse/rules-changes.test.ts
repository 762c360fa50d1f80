// `rules:changes` and `only:changes` against a real git repository made in a temp folder, with the
// examples of GitLab's `rules:changes` documentation; globs as Ruby's File.fnmatch? matches them.

import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatch } from '../../../main/parse/fnmatch.js';
import type { PipelineChoice } from '../../../shared/plan.js';
import { job, load, writeProject } from './helpers.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
}

/** A repository with one commit on main holding the files. */
function repo(files: Record<string, string>): string {
  const dir = writeProject(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

const whenOf = async (dir: string, name: string, pipeline?: PipelineChoice): Promise<string> => job(await load(dir, pipeline ? { pipeline } : {}), name).when;

// Results of Ruby 3.1 `File.fnmatch?(pattern, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)`.
const RUBY_FNMATCH: [string, string, boolean][] = [
  ['Dockerfile', 'Dockerfile', true],
  ['docker/scripts/**/*', 'docker/scripts/a/b.sh', true],
  ['docker/scripts/**/*', 'docker/scripts', false],
  ['more_scripts/*.{rb,py,sh}', 'more_scripts/x.sh', true],
  ['more_scripts/*.{rb,py,sh}', 'more_scripts/sub/x.sh', false],
  ['**/*.json', 'package.json', true],
  ['**/*.json', 'a/.b/c.json', true],
  ['*.md', '.github.md', true],
  ['src/*', 'src/a/b', false],
  ['docs/**', 'docs/a/b', false],
  ['[a-c]x/*', 'bx/y', true],
  ['[!a-c]x', 'dx', true],
  ['a?c', 'a/c', false],
  ['{a,b{c,d}}.txt', 'bd.txt', true],
  ['a{b', 'a{b', false],
  ['\\*', '*', true],
  ['[abc', '[abc', false],
  ['a[]b', 'a]b', false],
  ['a\\{b,c}', 'a{b,c}', true],
  ['a{b\\,c,d}', 'ab,c', true],
  ['{,a}x', 'x', true],
  ['a/**/b', 'a/b', true],
  ['**', 'a/b', false],
];

describe('globs as GitLab matches them (File.fnmatch? with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)', () => {
  it.each(RUBY_FNMATCH)('%s against %s → %s', (pattern, path, expected) => {
    expect(fnmatch(pattern, path)).toBe(expected);
  });
});

const DOCS_PIPELINE = [
  'default: {image: busybox:1.36}',
  'docker build:',
  '  script: docker build -t my-image:$CI_COMMIT_REF_SLUG .',
  '  rules:',
  '    - changes:',
  '        - Dockerfile',
  '      when: manual',
  '      allow_failure: true',
  'docker build alternative:',
  '  variables:',
  '    DOCKERFILES_DIR: path/to/files',
  '  script: docker build -t my-image:$CI_COMMIT_REF_SLUG .',
  '  rules:',
  '    - changes:',
  '        - $DOCKERFILES_DIR/**/*',
  'docker build paths:',
  '  script: docker build -t my-image:$CI_COMMIT_REF_SLUG .',
  '  rules:',
  '    - changes:',
  '        paths:',
  '          - Dockerfile',
  '        compare_to: refs/heads/branch1',
  'legacy:',
  '  script: x',
  '  only:',
  '    changes: ["src/*.{c,h}"]',
  '',
].join('\n');

describe('rules:changes against the git repository', () => {
  it('a clean checkout changed nothing: every changes rule leaves its job out', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n', 'src/a.c': '' });
    git(dir, 'branch', 'branch1');
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([
      ['docker build', 'never'], ['docker build alternative', 'never'], ['docker build paths', 'never'], ['legacy', 'never'],
    ]);
    expect(job(plan, 'legacy').excludedBy).toBe('only: changes [src/*.{c,h}] (compared with main) does not match branch "main" (push)');
    expect(plan.warnings.filter((w) => w.message.startsWith('changes:'))).toEqual([]);
  });

  it('an unstaged edit of a tracked file and a staged new file count', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n', 'src/a.c': '' });
    git(dir, 'branch', 'branch1');
    expect(await whenOf(dir, 'docker build')).toBe('never');

    appendFileSync(join(dir, 'Dockerfile'), 'RUN true\n');
    const plan = await load(dir);
    expect(job(plan, 'docker build')).toMatchObject({ when: 'manual', allowFailure: true });
    expect(job(plan, 'docker build paths').when).toBe('on_success'); // compare_to: refs/heads/branch1
    expect(job(plan, 'docker build alternative').when).toBe('never');

    git(dir, 'checkout', '-q', 'Dockerfile');
    writeFileSync(join(dir, 'src/new.h'), '');
    git(dir, 'add', 'src/new.h');
    expect(await whenOf(dir, 'legacy')).toBe('on_success');
  });

  it('expands variables in the paths ($DOCKERFILES_DIR/**/*) and sees untracked, not ignored, files', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n', '.gitignore': 'path/to/files/ignored/\n' });
    mkdirSync(join(dir, 'path/to/files/ignored'), { recursive: true });
    writeFileSync(join(dir, 'path/to/files/ignored/Dockerfile'), '');
    expect(await whenOf(dir, 'docker build alternative')).toBe('never');
    mkdirSync(join(dir, 'path/to/files/deep'), { recursive: true });
    writeFileSync(join(dir, 'path/to/files/deep/Dockerfile'), '');
    expect(await whenOf(dir, 'docker build alternative')).toBe('on_success');
  });

  it('commits on a feature branch since it left main count; --compare-to moves the comparison', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n' });
    git(dir, 'checkout', '-q', '-b', 'feature');
    appendFileSync(join(dir, 'Dockerfile'), 'RUN true\n');
    git(dir, 'commit', '-q', '-am', 'change the image');
    expect(await whenOf(dir, 'docker build')).toBe('manual');
    expect(await whenOf(dir, 'docker build', { compareTo: 'feature' })).toBe('never');
    expect(await whenOf(dir, 'docker build', { compareTo: 'HEAD~1' })).toBe('manual');
  });

  it('compares with origin/<default branch> when the clone has it: unpushed commits on main count', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n' });
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    appendFileSync(join(dir, 'Dockerfile'), 'RUN true\n');
    git(dir, 'commit', '-q', '-am', 'not pushed yet');
    expect(await whenOf(dir, 'docker build')).toBe('manual');
  });

  it('a merge request pipeline compares with its target branch', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n' });
    git(dir, 'checkout', '-q', '-b', 'stable');
    git(dir, 'checkout', '-q', '-b', 'feature');
    appendFileSync(join(dir, 'Dockerfile'), 'RUN true\n');
    git(dir, 'commit', '-q', '-am', 'x');
    git(dir, 'checkout', '-q', 'stable');
    git(dir, 'merge', '-q', 'feature');
    git(dir, 'checkout', '-q', 'feature');
    expect(await whenOf(dir, 'docker build', { mrTarget: 'main' })).toBe('manual');
    expect(await whenOf(dir, 'docker build', { mrTarget: 'stable' })).toBe('never');
  });

  it('tag and schedule pipelines have no diff in GitLab: changes count as changed, with one warning', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n' });
    git(dir, 'branch', 'branch1');
    const tag = await load(dir, { pipeline: { tag: 'v1.0' } });
    expect(job(tag, 'docker build').when).toBe('manual');
    expect(job(tag, 'legacy').when).toBe('on_success');
    expect(job(tag, 'docker build paths').when).toBe('never'); // compare_to gives it a diff, as in GitLab
    expect(tag.warnings.filter((w) => w.message.startsWith('changes:')).map((w) => w.message)).toEqual([
      'changes: counted as changed, as GitLab does when it has no list of changed files: a tag pipeline has no diff',
    ]);
    const schedule = await load(dir, { pipeline: { source: 'schedule' } });
    expect(job(schedule, 'docker build').when).toBe('manual');
    expect(await whenOf(dir, 'docker build', { source: 'schedule', compareTo: 'main' })).toBe('never');
  });

  it('an unknown compare ref counts as changed and says what was assumed', async () => {
    const dir = repo({ '.gitlab-ci.yml': DOCS_PIPELINE, Dockerfile: 'FROM scratch\n' });
    const plan = await load(dir);
    expect(job(plan, 'docker build paths').when).toBe('on_success');
    expect(job(plan, 'docker build').when).toBe('never');
    expect(plan.warnings.map((w) => w.message)).toContain(
      'changes: counted as changed, as GitLab does when it has no list of changed files: the compare ref "refs/heads/branch1" is not known to the local repository (fetch it, or choose one with --compare-to REF)',
    );
    const option = await load(dir, { pipeline: { compareTo: '--output=/tmp/x' } });
    expect(job(option, 'docker build').when).toBe('manual');
  });

  it('rejects what GitLab rejects: a scalar, a hash without paths, unknown keys, more than 50 paths', async () => {
    const bad = (rules: string): string => `t:\n  image: busybox:1.36\n  script: x\n  rules:\n${rules}`;
    const dir = writeProject({
      '.gitlab-ci.yml': bad('    - changes: Dockerfile\n    - changes: {compare_to: main}\n    - changes: {paths: [a], base: main}\n') +
        `u:\n  image: busybox:1.36\n  script: x\n  rules:\n    - changes: [${Array.from({ length: 51 }, (_, i) => `f${i}`).join(', ')}]\n`,
    });
    await expect(load(dir)).rejects.toThrow(
      [
        '.gitlab-ci.yml:5:16: job "t": rules:changes should be an array or a hash',
        '.gitlab-ci.yml:6:16: job "t": rules:changes config missing required keys: paths',
        '.gitlab-ci.yml:7:29: job "t": rules:changes has unknown key "base" (allowed: paths, compare_to)',
        '.gitlab-ci.yml:12:16: job "u": rules:changes has too many entries (maximum 50)',
      ].join('\n'),
    );
  });
});
