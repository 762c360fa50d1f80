import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, listRuns, newRunId, readRunEvents, runDir, RunHistoryWriter } from '../../../main/history/index.js';
import type { RunEvent } from '../../../shared/events.js';

function home() {
  return { JOBSIM_HOME: mkdtempSync(join(tmpdir(), 'jobsim-history-')) } as NodeJS.ProcessEnv;
}

async function collect(runId: string, env: NodeJS.ProcessEnv): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of readRunEvents(runId, env)) out.push(e);
  return out;
}

describe('history paths', () => {
  it('uses JOBSIM_HOME, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(dataDir({ JOBSIM_HOME: '/x' })).toBe('/x');
    expect(dataDir({ XDG_DATA_HOME: '/xdg' })).toBe('/xdg/jobsim');
    expect(dataDir({})).toMatch(/\.local\/share\/jobsim$/);
  });

  it('refuses run ids that would leave the runs folder', () => {
    expect(() => runDir('../etc', { JOBSIM_HOME: '/h' })).toThrow(/not a run id/);
  });

  it('makes run ids that sort by time', () => {
    const a = newRunId(new Date('2026-01-01T00:00:00Z'));
    const b = newRunId(new Date('2026-01-01T00:00:01Z'));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^20260101-000000-[0-9a-f]{6}$/);
  });
});

describe('RunHistoryWriter and readers', () => {
  it('stores events and a summary that lists job states and the final status', async () => {
    const env = home();
    const runId = newRunId();
    const writer = new RunHistoryWriter(runDir(runId, env), { runId, projectDir: '/p', projectPath: 'g/p', startedAt: 1, jobs: ['a', 'b'] });
    expect((await listRuns(env))[0]).toMatchObject({ runId, status: 'running' });
    const events: RunEvent[] = [
      { type: 'job', runId, time: 2, job: 'a', state: 'success' },
      { type: 'job', runId, time: 3, job: 'b', state: 'failed', exitCode: 1 },
      { type: 'run', runId, time: 4, state: 'finished', status: 'failed', durationMs: 3 },
    ];
    for (const e of events) writer.append(e);
    await writer.flush();
    expect(await collect(runId, env)).toEqual(events);
    const [summary] = await listRuns(env);
    expect(summary).toEqual({ runId, projectDir: '/p', projectPath: 'g/p', status: 'failed', startedAt: 1, durationMs: 3, jobs: [{ name: 'a', state: 'success' }, { name: 'b', state: 'failed' }] });
  });

  it('lists newest first and shows a run whose owner died as interrupted', async () => {
    const env = home();
    const older = newRunId(new Date('2026-01-01T00:00:00Z'));
    const newer = newRunId(new Date('2026-01-02T00:00:00Z'));
    new RunHistoryWriter(runDir(older, env), { runId: older, projectDir: '/p', projectPath: 'g/p', startedAt: 10, jobs: [] });
    new RunHistoryWriter(runDir(newer, env), { runId: newer, projectDir: '/p', projectPath: 'g/p', startedAt: 20, jobs: [] });
    // Pretend the older run's process is gone: a pid that cannot exist.
    const file = join(runDir(older, env), 'summary.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { owner: { pid: number; host: string } };
    stored.owner = { pid: 2 ** 22 + 7, host: hostname() };
    writeFileSync(file, JSON.stringify(stored));
    const runs = await listRuns(env);
    expect(runs.map((r) => [r.runId, r.status])).toEqual([[newer, 'running'], [older, 'interrupted']]);
    expect(runs[0]).not.toHaveProperty('owner');
  });

  it('treats a live process that started after the run as a reused pid (interrupted)', async () => {
    const env = home();
    const runId = newRunId();
    new RunHistoryWriter(runDir(runId, env), { runId, projectDir: '/p', projectPath: 'g/p', startedAt: 0, jobs: [] });
    const file = join(runDir(runId, env), 'summary.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { owner: { pid: number; host: string } };
    stored.owner = { pid: 1, host: hostname() }; // pid 1 is alive, but started long after 1970
    writeFileSync(file, JSON.stringify(stored));
    expect((await listRuns(env))[0]?.status).toBe('interrupted');
  });

  it('reads events up to a torn last line', async () => {
    const env = home();
    const runId = newRunId();
    const writer = new RunHistoryWriter(runDir(runId, env), { runId, projectDir: '/p', projectPath: 'g/p', startedAt: 1, jobs: [] });
    writer.append({ type: 'job', runId, time: 2, job: 'a', state: 'running' });
    await writer.flush();
    appendFileSync(join(runDir(runId, env), 'events.ndjson'), '{"type":"log","tex');
    expect(await collect(runId, env)).toHaveLength(1);
  });

  it('returns no runs when nothing was stored yet', async () => {
    expect(await listRuns(home())).toEqual([]);
  });
});

describe('stored runs from an earlier jobsim', () => {
  it('gives pull events written before effectivePolicies the list the runner tried', async () => {
    const env = home();
    const runId = newRunId();
    const dir = runDir(runId, env);
    const writer = new RunHistoryWriter(dir, { runId, projectDir: '/p', projectPath: 'g/p', startedAt: Date.now(), jobs: ['test'] });
    const old = { type: 'pull', runId, time: 1, job: 'test', container: 'build', image: 'a:1', normalized: 'docker.io/library/a:1', policies: ['never', 'always', 'if-not-present'], policySource: 'job-file', allowedPolicies: ['always', 'if-not-present'], attempt: 1, policy: 'always', decision: 'pulled', reason: 'r', localPresent: false };
    writer.append(old as unknown as RunEvent);
    writer.append({ ...old, decision: 'refused' } as unknown as RunEvent);
    await writer.flush();
    const [pulled, refused] = (await collect(runId, env)).filter((e) => e.type === 'pull');
    expect(pulled).toMatchObject({ effectivePolicies: ['always', 'if-not-present'] });
    expect(refused).toMatchObject({ effectivePolicies: [] });
  });
});
