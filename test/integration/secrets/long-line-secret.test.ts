// A log line over 64 KiB is cut into pieces; a secret right at the cut must still read [MASKED] in the
// terminal, in --json, in the stored run and in `compare --json` (issue 13, point 3).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runIdOf, sandbox } from '../cli/cli-harness.js';

const box = sandbox();
const SECRET = 'Sl1ce-me-0123456789-abcdefghij-XYZ';
const HALVES = [SECRET.slice(0, 12), SECRET.slice(12)];
// 65,520 x's and then the secret: the 64 KiB cut (65,536 characters) falls in the middle of it.
const yaml = `long:\n  image: { name: busybox:1.36, pull_policy: if-not-present }\n  script:\n    - head -c 65520 /dev/zero | tr '\\\\0' x; echo "$API_TOKEN-end"\n`;

beforeAll(async () => {
  await buildCli();
});
afterAll(() => box.removeCaches());

const leaked = (text: string): string[] => HALVES.filter((h) => text.includes(h));

describe('a secret across the 64 KiB line cut', () => {
  it('is masked in the terminal, --json, the stored run and compare --json', async () => {
    const dir = box.project(undefined, { '.gitlab-ci.yml': yaml });
    const text = await box.jobsim(['run', '-C', dir, '--secret', `API_TOKEN=${SECRET}`]);
    expect(text.code).toBe(0);
    expect(leaked(text.stdout + text.stderr)).toEqual([]);
    expect(text.stdout).toContain('[MASKED]-end');

    const json = await box.jobsim(['run', '-C', dir, '--json', '--secret', `API_TOKEN=${SECRET}`]);
    expect(json.code).toBe(0);
    expect(leaked(json.stdout)).toEqual([]);
    expect(json.stdout).toContain('[MASKED]-end');
    const runId = runIdOf(json.stdout);
    const stored = readFileSync(join(box.home, 'runs', runId, 'events.ndjson'), 'utf8');
    expect(leaked(stored)).toEqual([]);
    expect(stored).toContain('[MASKED]-end');

    const runs = await box.jobsim(['runs', '--json']);
    const ids = (JSON.parse(runs.stdout) as { runId: string }[]).map((r) => r.runId);
    expect(ids).toContain(runId);
    const other = ids.find((id) => id !== runId) ?? runId;
    const compare = await box.jobsim(['compare', other, runId, '--json']);
    expect(compare.code).toBe(0);
    expect(leaked(compare.stdout)).toEqual([]);
  });
});
