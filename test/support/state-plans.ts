// Hand-built plans with every job state and a parallel job, for the project view's tests (jsdom and
// Chromium): blocked jobs are set by hand, as the parser will set them.

import type { JobPlan, ParallelInstance, PipelinePlan } from '../../shared/plan.js';

const STAGES = ['build', 'test', 'deploy'];

function planJob(name: string, stage: string, extra: Partial<JobPlan> = {}): JobPlan {
  return {
    name,
    stage,
    stageIndex: STAGES.indexOf(stage),
    image: {
      ref: { written: 'busybox:1.36', normalized: 'docker.io/library/busybox:1.36', registry: 'docker.io', repository: 'library/busybox', tag: '1.36', isImageId: false },
      pull: { policies: ['if-not-present'], source: 'job-file', allowed: ['always'], allowedSource: 'default' },
    },
    services: [],
    beforeScript: [],
    script: ['echo hi'],
    afterScript: [],
    variables: [],
    caches: [],
    needs: null,
    dependencies: null,
    when: 'on_success',
    allowFailure: false,
    timeoutMs: 3_600_000,
    projectDirInContainer: '/builds/acme/shop',
    docker: { privileged: false, tmpfs: {}, servicesTmpfs: {}, capAdd: [], capDrop: [], extraHosts: [], dns: [], volumes: [], disableEntrypointOverwrite: false, ignoreImageEntrypoint: false },
    where: { file: '.gitlab-ci.yml', line: 1, col: 1 },
    ...extra,
  };
}

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
    stages: STAGES,
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
