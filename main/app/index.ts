// The local API wired to the real engine: what `jobsim serve` and the desktop app expose.

import { diagnoseDocker } from '../docker/doctor.js';
import { startRun } from '../engine/run.js';
import { listRuns, readRunEvents } from '../history/index.js';
import { loadPipeline } from '../parse/index.js';
import { createLocalApi, type LocalApi } from './local-api.js';

export function createDefaultApi(): LocalApi {
  return createLocalApi({
    loadPipeline: (options) => loadPipeline(options),
    startRun: (request) => startRun(request),
    listRuns: () => listRuns(),
    readRunEvents: (runId) => readRunEvents(runId),
    doctor: () => diagnoseDocker(),
  });
}
