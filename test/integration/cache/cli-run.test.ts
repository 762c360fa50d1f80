// Caches through real `jobsim run` invocations: separate processes, the real engine, the real daemon.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../../main/docker/client.js';
import type { CacheEvent, RunEvent } from '../../../shared/events.js';

const exec = promisify(execFile);
const projectDir = mkdtempSync(join(tmpdir(), 'jobsim-cache-cli-'));
const volumes = new Set<string>();

afterAll(async () => {
  const { docker } = await connectDocker();
  for (const volume of volumes) await docker.getVolume(volume).remove().catch(() => undefined);
  rmSync(projectDir, { recursive: true, force: true });
});

function pipeline(script: string): string {
  return [
    'build:',
    '  image: { name: "jobsim-test/shell:1", pull_policy: never }',
    '  cache: { key: counter, paths: [vendor/] }',
    '  script:',
    '    - mkdir -p vendor',
    '    - n=$(( $(cat vendor/count 2>/dev/null || echo 0) + 1 )); echo $n > vendor/count; echo "count=$n"',
    `    - ${script}`,
    '',
  ].join('\n');
}

async function jobsimRun(script: string): Promise<{ events: RunEvent[]; cache: CacheEvent[]; output: string }> {
  writeFileSync(join(projectDir, '.gitlab-ci.yml'), pipeline(script));
  const result = await exec('npx', ['tsx', 'main/cli.ts', 'run', '-C', projectDir, '--json'], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunEvent);
  const cache = events.filter((event): event is CacheEvent => event.type === 'cache');
  for (const event of cache) if (event.volume) volumes.add(event.volume);
  const output = events.flatMap((event) => (event.type === 'log' && event.source === 'build' ? [event.text] : [])).join('\n');
  return { events, cache, output };
}

describe('cache through `jobsim run` (separate processes)', () => {
  it('survives between runs, and a failed job leaves it unchanged', async () => {
    const first = await jobsimRun('echo done');
    expect(first.output).toContain('count=1');
    expect(first.cache.map((event) => event.action)).toEqual(['not-found', 'saved']);

    const second = await jobsimRun('echo done');
    expect(second.output).toContain('count=2');
    expect(second.cache[0]).toMatchObject({ action: 'restored', lastWriter: { job: 'build', runId: first.cache[1]?.runId } });

    const failed = await jobsimRun('exit 1');
    expect(failed.output).toContain('count=3');
    expect(failed.cache.at(-1)).toMatchObject({ action: 'skipped', reason: 'when: on_success, and the job failed' });

    const fourth = await jobsimRun('echo done');
    expect(fourth.output).toContain('count=3');
    // Nothing of the cache's temporary objects is left behind.
    const { docker } = await connectDocker();
    const leftovers = await docker.listVolumes({ filters: JSON.stringify({ label: [`dev.jobsim.run-id=${fourth.cache[0]?.runId ?? ''}`] }) });
    expect(leftovers.Volumes ?? []).toEqual([]);
  });
});
