// Plans and event streams for renderer tests, shaped like what the engine produces.

import type { RunEvent, RunEventInput } from '../../shared/events.js';
import type { PipelinePlan } from '../../shared/plan.js';
import { planJob as job } from '../support/plans.js';
import type { LogTerminal } from '../../renderer/src/log/terminal.js';

export { planJob as job } from '../support/plans.js';

export function demoPlan(): PipelinePlan {
  return {
    projectDir: '/work/demo',
    projectPath: 'local/demo',
    file: '.gitlab-ci.yml',
    format: 'gitlab-ci',
    stages: ['build', 'test', 'deploy'],
    jobs: [
      job('compile', 'build'),
      job('unit', 'test', { needs: [{ job: 'compile', artifacts: true, optional: false }] }),
      job('lint', 'test'),
    ],
    runner: { buildsDir: '/builds', disableCache: false, waitForServicesTimeoutSec: 30, allowedImages: [], allowedServices: [], pullPolicy: ['always'], allowedPullPolicies: ['always'] },
    warnings: [],
  };
}

let clock = 1_700_000_000_000;
export function stamp(runId: string, events: RunEventInput[]): RunEvent[] {
  return events.map((event) => ({ ...event, runId, time: (clock += 100) }) as RunEvent);
}

export function runStarted(plan: PipelinePlan): RunEventInput {
  return {
    type: 'run',
    state: 'started',
    projectDir: plan.projectDir,
    projectPath: plan.projectPath,
    file: plan.file,
    stages: plan.stages,
    jobs: plan.jobs.map((j) => ({ name: j.name, stage: j.stage, needs: j.needs?.map((n) => n.job) ?? null, when: j.when })),
  };
}

export const SECTION_START = (name: string, header: string, at = 1_700_000_000) => `\x1b[0Ksection_start:${at}:${name}\r\x1b[0K${header}`;
export const SECTION_END = (name: string, at = 1_700_000_002) => `\x1b[0Ksection_end:${at}:${name}\r\x1b[0K`;

/** In place of xterm (which needs a canvas): what is written shows as the element's text. */
export function textTerminal(element: HTMLElement): LogTerminal {
  const noop = () => undefined;
  return {
    write: (data, callback) => {
      element.textContent = (element.textContent ?? '') + data;
      callback?.();
    },
    clear: () => (element.textContent = ''),
    findNext: (term) => (element.textContent ?? '').includes(term),
    findPrevious: (term) => (element.textContent ?? '').includes(term),
    selection: () => '',
    scrollToBottom: noop,
    fit: noop,
    setScrollback: noop,
    dispose: noop,
  };
}
