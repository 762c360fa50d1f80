// A job plan shaped like what the parser produces, for tests that build plans by hand (renderer, e2e).
// DOM-free, so both jsdom and Chromium tests can use it.

import type { JobPlan } from '../../shared/plan.js';

/** A busybox job in one of the stages build, test, deploy; `extra` replaces any field. */
export function planJob(name: string, stage: string, extra: Partial<JobPlan> = {}): JobPlan {
  const stages = ['build', 'test', 'deploy'];
  return {
    name,
    stage,
    stageIndex: stages.indexOf(stage),
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
    projectDirInContainer: '/builds/local/demo',
    docker: { privileged: false, tmpfs: {}, servicesTmpfs: {}, capAdd: [], capDrop: [], extraHosts: [], dns: [], volumes: [], disableEntrypointOverwrite: false, ignoreImageEntrypoint: false },
    where: { file: '.gitlab-ci.yml', line: 1, col: 1 },
    ...extra,
  };
}
