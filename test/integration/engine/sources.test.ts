// Project files into the builds volume: in a git repository what a fresh checkout of the working tree
// would hold (tracked files with uncommitted changes, new files that are not ignored), else the folder
// without `.git`.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineRun } from './engine-fixture.js';

let current: EngineRun | undefined;
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { stdio: 'ignore' });
}

const LIST = 'find . -path ./.git -prune -o -type f -print | sort';

describe('runJob: sources', () => {
  it('copies tracked files with uncommitted changes and new unignored files, not ignored ones or .git', async () => {
    const run = (current = await EngineRun.create());
    const dir = run.projectDir;
    git(dir, 'init', '-q');
    writeFileSync(join(dir, '.gitignore'), 'secret.env\nbuild/\n');
    writeFileSync(join(dir, 'tracked.txt'), 'committed\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    writeFileSync(join(dir, 'tracked.txt'), 'changed but not committed\n');
    writeFileSync(join(dir, 'new.txt'), 'new\n');
    writeFileSync(join(dir, 'secret.env'), 'TOKEN=1\n');
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'out.o'), 'binary\n');

    const outcome = await run.run({ script: [LIST, 'cat tracked.txt', 'test ! -e .git && echo no-git-dir'] });

    expect(outcome.state).toBe('success');
    const build = run.logs('build');
    expect(build).toEqual(expect.arrayContaining(['./.gitignore', './README.md', './new.txt', './tracked.txt', 'changed but not committed', 'no-git-dir']));
    expect(build).not.toContain('./secret.env');
    expect(build).not.toContain('./build/out.o');
    expect(run.logs('runner').join('\n')).toMatch(/Copied 4 files/);
  });

  it('copies the folder minus .git and gitignored files when it is not a git repository', async () => {
    const run = (current = await EngineRun.create());
    const dir = run.projectDir;
    mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'src', 'deep', 'main.c'), 'int main(){}\n');
    writeFileSync(join(dir, '.gitignore'), '*.log\n');
    writeFileSync(join(dir, 'debug.log'), 'noise\n');
    // A stray, broken .git folder: not a repository, and never copied.
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'junk'), 'x\n');

    const outcome = await run.run({ script: ['find . -type f | sort'] });

    expect(outcome.state).toBe('success');
    const build = run.logs('build');
    expect(build).toEqual(expect.arrayContaining(['./.gitignore', './README.md', './src/deep/main.c']));
    expect(build).not.toContain('./debug.log');
    expect(build).not.toContain('./.git/junk');
  });
});
