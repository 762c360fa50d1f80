import { describe, expect, it } from 'vitest';
import { artifactSources } from '../../../main/engine/artifacts/sources.js';
import type { JobRecord } from '../../../main/engine/contracts.js';
import type { JobPlan, NeedPlan } from '../../../shared/plan.js';

function job(name: string, stageIndex: number, extra: { needs?: NeedPlan[] | null; dependencies?: string[] | null } = {}): JobPlan {
  return { name, stageIndex, needs: extra.needs ?? null, dependencies: extra.dependencies ?? null } as JobPlan;
}

function record(name: string, stageIndex: number, artifacts = true): JobRecord {
  return { job: job(name, stageIndex), outcome: { state: 'success' }, ...(artifacts ? { artifactsDir: `/store/${name}` } : {}) };
}

const need = (name: string, artifacts = true): NeedPlan => ({ job: name, artifacts, optional: false });

const upstream = [record('compile', 0), record('lint', 0, false), record('docs', 0), record('unit', 1)];
const names = (records: JobRecord[]): string[] => records.map((r) => r.job.name);

describe('artifact sources', () => {
  it('takes every earlier-stage job with artifacts when there are no needs or dependencies', () => {
    expect(names(artifactSources(job('deploy', 1), upstream))).toEqual(['compile', 'docs']);
    expect(names(artifactSources(job('final', 2), upstream))).toEqual(['compile', 'docs', 'unit']);
  });

  it('follows dependencies when set, and an empty list means none', () => {
    expect(names(artifactSources(job('deploy', 2, { dependencies: ['docs'] }), upstream))).toEqual(['docs']);
    expect(names(artifactSources(job('deploy', 2, { dependencies: [] }), upstream))).toEqual([]);
  });

  it('next to needs, keeps the dependencies that are also needed with artifacts: true (GitLab\'s BuildDependencies)', () => {
    const deploy = job('deploy', 2, { needs: [need('compile'), need('docs', false), need('unit')], dependencies: ['compile', 'docs'] });
    expect(names(artifactSources(deploy, upstream))).toEqual(['compile']);
  });

  it('with needs: [] the dependencies alone decide', () => {
    expect(names(artifactSources(job('deploy', 2, { needs: [], dependencies: ['docs'] }), upstream))).toEqual(['docs']);
  });

  it('uses needs with artifacts:true only', () => {
    expect(names(artifactSources(job('deploy', 2, { needs: [need('compile'), need('docs', false)] }), upstream))).toEqual(['compile']);
    expect(names(artifactSources(job('deploy', 2, { needs: [] }), upstream))).toEqual([]);
  });

  it('skips jobs that stored no artifacts', () => {
    expect(names(artifactSources(job('deploy', 2, { dependencies: ['lint', 'compile'] }), upstream))).toEqual(['compile']);
  });
});
