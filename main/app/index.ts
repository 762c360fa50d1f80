// The local API wired to the real engine: what `jobsim serve` and the desktop app expose.

import { connectDocker } from '../docker/client.js';
import { diagnoseDocker } from '../docker/doctor.js';
import { createCacheBrowser } from '../engine/cache/browser.js';
import { lintLocalImage } from '../engine/pull/lint.js';
import { LINT_PROFILES } from '../engine/pull/lint-rules.js';
import { parseReference } from '../engine/pull/reference.js';
import { rerunRun } from '../engine/rerun.js';
import { startRun } from '../engine/run.js';
import { compareStoredRuns, listRuns, readRunEvents } from '../history/index.js';
import { loadPipeline } from '../parse/index.js';
import { createDebugTools } from './debug-api.js';
import { createLocalApi, type LocalApi } from './local-api.js';
import { saveSecrets } from './secrets-store.js';

async function caches() {
  return createCacheBrowser((await connectDocker()).docker);
}

export function createDefaultApi(): LocalApi {
  return createLocalApi({
    loadPipeline: (options) => loadPipeline(options),
    startRun: (request) => startRun(request),
    rerun: (request) => rerunRun(request),
    listRuns: () => listRuns(),
    readRunEvents: (runId) => readRunEvents(runId),
    doctor: () => diagnoseDocker(),
    tools: {
      listCaches: async (project) => (await caches()).list({ project }),
      inspectCache: async (volume, path) => (await caches()).tree(volume, { path }),
      clearCaches: async (request) => (await caches()).clear(request),
      lintImage: async (image, profile) => lintLocalImage((await connectDocker()).docker, parseReference(image), LINT_PROFILES[profile ?? 'gitlab']),
      saveSecrets,
      compareRuns: (runA, runB, job) => compareStoredRuns(runA, runB, job),
      ...createDebugTools(),
    },
  });
}
