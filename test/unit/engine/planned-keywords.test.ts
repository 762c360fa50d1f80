// How a run treats keywords that are planned but not acted on yet (issue 16): trigger jobs are skipped
// with one clear reason, delayed jobs start at once and say so.

import { describe, expect, it } from 'vitest';
import type { RunContext, RunJobFn } from '../../../main/engine/contracts.js';
import { runPipeline } from '../../../main/engine/pipeline.js';
import type { RunEventInput } from '../../../shared/events.js';
import type { JobPlan } from '../../../shared/plan.js';

function job(name: string, fields: Partial<JobPlan> = {}): JobPlan {
  return { name, stage: 's0', stageIndex: 0, needs: null, dependencies: null, when: 'on_success', allowFailure: false, variables: [], ...fields } as unknown as JobPlan;
}

async function run(jobs: JobPlan[]): Promise<{ started: string[]; events: RunEventInput[]; status: string }> {
  const started: string[] = [];
  const runJob: RunJobFn = async (plan) => {
    started.push(plan.name);
    await Promise.resolve();
    return { state: 'success' };
  };
  const events: RunEventInput[] = [];
  const context = { runId: 'r1', emit: (e: RunEventInput) => events.push(e), signal: new AbortController().signal, secrets: [] } as unknown as RunContext;
  const { status } = await runPipeline(context, { jobs, concurrency: 4, runJob });
  return { started, events, status };
}

const finalJobEvent = (events: RunEventInput[], name: string) => events.filter((e) => e.type === 'job' && e.job === name).at(-1);
const logLines = (events: RunEventInput[], name: string) => events.flatMap((e) => (e.type === 'log' && e.job === name ? [e.text] : []));

describe('a trigger job in a run', () => {
  it('is skipped with the reason, never started as a container, and the pipeline still succeeds', async () => {
    const child = job('child', { trigger: { kind: 'child', include: [{ kind: 'local', path: 'child.yml' }], forward: { yamlVariables: true, pipelineVariables: false } } });
    const later = job('later', { stage: 's1', stageIndex: 1 });
    const { started, events, status } = await run([job('build'), child, later]);
    expect(started).toEqual(['build', 'later']);
    expect(finalJobEvent(events, 'child')).toMatchObject({
      state: 'skipped',
      reason: { kind: 'config', message: 'triggers a downstream pipeline; jobsim does not run those yet' },
    });
    expect(status).toBe('success');
  });
});

describe('a delayed job in a run', () => {
  it('starts at once and its log says that start_in is not waited for yet', async () => {
    const { started, events } = await run([job('deploy', { when: 'delayed', startInMs: 30 * 60_000 })]);
    expect(started).toEqual(['deploy']);
    expect(logLines(events, 'deploy')[0]).toBe('Delayed job (start_in 30m): jobsim starts it at once; waiting for start_in is not implemented yet');
  });

  it('an ordinary job gets no such line', async () => {
    const { events } = await run([job('build')]);
    expect(logLines(events, 'build').filter((l) => l.startsWith('Delayed'))).toEqual([]);
  });
});
