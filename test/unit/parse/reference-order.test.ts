// `!reference` resolved after `extends`, as GitLab's Config#build_config does, with GitLab's circular
// chain message and its nesting limit (script lists nest up to 10 levels, so 9 chained references).

import { describe, expect, it } from 'vitest';
import { job, loadYaml } from './helpers.js';

const IMAGE = 'default: {image: busybox:1.36}\n';

/** A script list holding a reference to `.s0`, whose list holds one to `.s1`, …: `references` in a chain. */
function chain(references: number): string {
  let yaml = IMAGE;
  const last = references - 1;
  for (let i = 0; i < last; i += 1) yaml += `.s${i}:\n  x:\n    - !reference [.s${i + 1}, x]\n`;
  yaml += `.s${last}:\n  x:\n    - echo deepest\n`;
  return `${yaml}t:\n  script:\n    - !reference [.s0, x]\n`;
}

describe('!reference', () => {
  it('GitLab\'s nested example runs all three commands', async () => {
    const plan = await loadYaml(
      `${IMAGE}.snippets:\n  one:\n    - echo "ONE!"\n  two:\n    - !reference [.snippets, one]\n    - echo "TWO!"\n  three:\n    - !reference [.snippets, two]\n    - echo "THREE!"\nnested-references:\n  script:\n    - !reference [.snippets, three]\n`,
    );
    expect(job(plan, 'nested-references').script).toEqual(['echo "ONE!"', 'echo "TWO!"', 'echo "THREE!"']);
  });

  it('is resolved after extends: it sees what a job inherited', async () => {
    const plan = await loadYaml(`${IMAGE}.base:\n  script: [echo from base]\njob1:\n  extends: .base\njob2:\n  script: !reference [job1, script]\n`);
    expect(job(plan, 'job2').script).toEqual(['echo from base']);
  });

  it('in an extended template, resolves against the merged job', async () => {
    const plan = await loadYaml(`${IMAGE}.tpl:\n  variables: {WHO: tpl}\n  script: [!reference [.snip, x]]\n.snip:\n  x: [echo hi]\njob:\n  extends: .tpl\n  variables: {WHO: job}\n`);
    expect(job(plan, 'job').script).toEqual(['echo hi']);
  });

  it('a circular chain is reported with GitLab\'s message', async () => {
    await expect(loadYaml(`${IMAGE}.a:\n  script: !reference [.b, script]\n.b:\n  script: !reference [.a, script]\nt:\n  script: [x]\n`)).rejects.toThrow(
      'is part of a circular chain',
    );
  });

  it('nests up to GitLab\'s limit: 9 chained references in a script list work, 10 do not', async () => {
    expect(job(await loadYaml(chain(9)), 't').script).toEqual(['echo deepest']);
    await expect(loadYaml(chain(10))).rejects.toThrow(
      'nests lists more than 10 levels deep (GitLab: script config should be a string or a nested array of strings up to 10 levels deep)',
    );
  });
});
