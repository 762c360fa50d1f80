import { describe, expect, it } from 'vitest';
import { job, load, variable, writeProject } from './helpers.js';

describe('include: local', () => {
  it('reads nested includes, the including file winning', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 'include: ci/a.yml\nt:\n  image: busybox:1.36\n  script: x\n',
      'ci/a.yml': 'include: ci/b.yml\nvariables: {FROM_A: "1"}\n',
      'ci/b.yml': 'variables: {FROM_B: "1", FROM_A: b}\n',
    });
    const t = job(await load(dir), 't');
    expect([variable(t, 'FROM_A'), variable(t, 'FROM_B')]).toEqual(['1', '1']);
  });

  it('reads a file included twice twice (GitLab counts duplicates), and stops a cycle at its limit of 150', async () => {
    const twice = writeProject({
      '.gitlab-ci.yml': 'include: [ci/a.yml, ci/b.yml]\nt:\n  image: busybox:1.36\n  script: x\n',
      'ci/a.yml': 'include: ci/common.yml\n',
      'ci/b.yml': 'include: ci/common.yml\n',
      'ci/common.yml': 'variables: {COMMON: "1"}\n',
    });
    expect(variable(job(await load(twice), 't'), 'COMMON')).toBe('1');
    const cycle = writeProject({
      '.gitlab-ci.yml': 'include: ci/a.yml\nt:\n  image: busybox:1.36\n  script: x\n',
      'ci/a.yml': 'include: ci/b.yml\n',
      'ci/b.yml': 'include: [ci/a.yml]\n',
    });
    await expect(load(cycle)).rejects.toThrow(/^ci\/[ab]\.yml:1:\d+: Maximum of 150 nested includes are allowed!$/);
  });

  it('reports syntax errors at their position in the included file', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 'include: ci/bad.yml\n', 'ci/bad.yml': 'a:\n  b: [1\n' });
    await expect(load(dir)).rejects.toThrow(/^ci\/bad\.yml:\d+:\d+: YAML syntax error: /);
  });

  it('lets jobs in included files use extends and !reference across files', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 'include: ci/templates.yml\nt:\n  extends: .tpl\n  script:\n    - !reference [.tpl, script]\n    - echo own\n',
      'ci/templates.yml': '.tpl:\n  image: busybox:1.36\n  script: [echo shared]\n',
    });
    expect(job(await load(dir), 't').script).toEqual(['echo shared', 'echo own']);
  });

  it('warns when a glob matches nothing', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 'include: "ci/*.yml"\nt:\n  image: busybox:1.36\n  script: x\n' });
    expect((await load(dir)).warnings.map((w) => w.message)).toEqual(['include:local "ci/*.yml" matches no file']);
  });
});
