// Hand-built plans with every job state and a parallel job, for the project view's tests (jsdom and
// Chromium): blocked jobs are set by hand, as the parser will set them.

import type { JobPlan, ParallelInstance, PipelinePlan } from '../../shared/plan.js';
import { planJob as basePlanJob } from './plans.js';

const planJob = (name: string, stage: string, extra: Partial<JobPlan> = {}): JobPlan => basePlanJob(name, stage, { projectDirInContainer: '/builds/acme/shop', ...extra });

const needsCompile = [{ job: 'compile', artifacts: true, optional: false }];

function instance(job: string, index: number, total: number, matrix: ParallelInstance['matrix'] = []): Pick<JobPlan, 'parallel'> {
  return { parallel: { job, index, total, matrix } };
}

/** A push to main: deploy jobs excluded (one by only, one by rules), one job per blocked kind, `test` in 3 parts and a 2-entry matrix. */
export function statesPlan(options: { tag?: string } = {}): PipelinePlan {
  const tagged = options.tag !== undefined;
  return {
    projectDir: '/work/shop',
    projectPath: 'acme/shop',
    file: '.gitlab-ci.yml',
    format: 'gitlab-ci',
    stages: ['build', 'test', 'deploy'],
    jobs: [
      planJob('compile', 'build'),
      planJob('windows-build', 'build', { blocked: { kind: 'needs-runner', runner: 'Windows', tags: ['windows', 'shared'], message: 'needs a Windows runner (tags: windows, shared)' } }),
      planJob('no-image', 'build', { blocked: { kind: 'needs-image', message: 'has no image: set image: or give --default-image' } }),
      planJob('test 1/3', 'test', { ...instance('test', 1, 3), needs: needsCompile }),
      planJob('test 2/3', 'test', { ...instance('test', 2, 3), needs: needsCompile }),
      planJob('test 3/3', 'test', { ...instance('test', 3, 3), needs: needsCompile }),
      planJob('lint: [ruby]', 'test', instance('lint', 1, 2, [{ key: 'LANG', value: 'ruby' }])),
      planJob('lint: [go]', 'test', { ...instance('lint', 2, 2, [{ key: 'LANG', value: 'go' }]), blocked: { kind: 'broken', message: 'image "$GO_IMAGE" uses a variable that is not set' } }),
      planJob('templates', 'test', { blocked: { kind: 'broken', message: 'extends ".remote-base" from an include that cannot be read offline' } }),
      planJob('review', 'deploy', { when: 'manual', allowFailure: true }),
      planJob('nightly', 'deploy', { when: 'never', excludedBy: 'only: schedules' }),
      planJob('release', 'deploy', tagged ? {} : { when: 'never', excludedBy: 'rules: no rule matched' }),
    ],
    runner: { buildsDir: '/builds', disableCache: false, waitForServicesTimeoutSec: 30, allowedImages: [], allowedServices: [], pullPolicy: ['always'], allowedPullPolicies: ['always'] },
    warnings: [],
  };
}
