import { describe, expect, it, vi } from 'vitest';
import type { RunEvent, RunStatus } from '../../../shared/events.js';
import type { PipelinePlan } from '../../../shared/plan.js';
import { createLocalApi, type LiveRun, type LocalApiDeps } from '../../../main/app/local-api.js';
import { InputError } from '../../../main/errors.js';
import { createFakeApi } from '../../support/fake-api.js';

function fakeRun(runId: string): LiveRun & { emit(event: RunEvent): void; finish(status: RunStatus): void } {
  const listeners = new Set<(event: RunEvent) => void>();
  const backlog: RunEvent[] = [];
  let finish: (status: RunStatus) => void = () => undefined;
  const done = new Promise<RunStatus>((resolve) => (finish = resolve));
  return {
    runId,
    done,
    cancel: vi.fn(),
    subscribe(listener) {
      backlog.forEach(listener);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      backlog.push(event);
      listeners.forEach((l) => l(event));
    },
    finish: (status) => finish(status),
  };
}

function deps(overrides: Partial<LocalApiDeps> = {}): LocalApiDeps {
  return {
    loadPipeline: vi.fn(),
    startRun: vi.fn(),
    rerun: vi.fn(),
    listRuns: vi.fn(async () => []),
    readRunEvents: vi.fn(async function* () {}),
    doctor: vi.fn(),
    tools: createFakeApi(),
    ...overrides,
  };
}

const started = (runId: string): RunEvent => ({ type: 'run', state: 'started', runId, time: 1, projectDir: '/p', projectPath: 'local/p', file: '.gitlab-ci.yml', jobs: [], stages: [] });
const finished = (runId: string): RunEvent => ({ type: 'run', state: 'finished', status: 'success', durationMs: 5, runId, time: 2 });

describe('local API', () => {
  it('turns parser errors into problems the UI can show, and passes other errors on', async () => {
    const problems = [{ message: 'unknown key "scirpt"', where: { file: '.gitlab-ci.yml', line: 3, col: 5 } }];
    const api = createLocalApi(deps({ loadPipeline: vi.fn(async () => { throw new InputError(problems); }) }));
    await expect(api.openProject('/p')).resolves.toEqual({ ok: false, problems });

    const plan = { projectDir: '/p' } as PipelinePlan;
    const ok = createLocalApi(deps({ loadPipeline: vi.fn(async () => plan) }));
    await expect(ok.openProject('/p')).resolves.toEqual({ ok: true, plan });

    const broken = createLocalApi(deps({ loadPipeline: vi.fn(async () => { throw new Error('disk on fire'); }) }));
    await expect(broken.openProject('/p')).rejects.toThrow('disk on fire');
  });

  it('streams a live run in batches, backlog first, and cancels it', async () => {
    const run = fakeRun('r1');
    run.emit(started('r1'));
    const api = createLocalApi(deps({ startRun: vi.fn(async () => run) }));
    await expect(api.startRun({ projectDir: '/p' })).resolves.toEqual({ runId: 'r1' });

    const received: RunEvent[] = [];
    api.subscribe('r1', (events) => received.push(...events));
    run.emit(finished('r1'));
    expect(received.map((e) => e.type)).toEqual(['run', 'run']);

    await api.cancelRun('r1');
    expect(run.cancel).toHaveBeenCalledOnce();
    await expect(api.cancelRun('nope')).rejects.toThrow('no run "nope" is running in this jobsim');
  });

  it('replays runs it does not hold from history', async () => {
    const stored = [started('old'), finished('old')];
    const readRunEvents = vi.fn(async function* () {
      yield* stored;
    });
    const api = createLocalApi(deps({ readRunEvents }));
    const received: RunEvent[] = [];
    await new Promise<void>((resolve) => {
      api.subscribe('old', (events) => {
        received.push(...events);
        if (received.length === 2) resolve();
      });
    });
    expect(readRunEvents).toHaveBeenCalledWith('old');
    expect(received).toEqual(stored);
  });
});

describe('saving secrets from the UI', () => {
  it('writes .jobsim/secrets.env readable by the run, kept out of git, merged with what was there', async () => {
    const { mkdtemp, readFile, rm, stat } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { saveSecrets } = await import('../../../main/app/secrets-store.js');
    const { readSecretsFile } = await import('../../../main/parse/secrets-file.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'jobsim-secrets-'));
    try {
      await saveSecrets(dir, { TOKEN: 'first', KEEP: 'kept' });
      const { file } = await saveSecrets(dir, { TOKEN: 'two words # "quoted"' });
      expect(await readSecretsFile(file, '.jobsim/secrets.env', true)).toEqual({ TOKEN: 'two words # "quoted"', KEEP: 'kept' });
      expect(await readFile(path.join(dir, '.jobsim', '.gitignore'), 'utf8')).toContain('*');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
