// The run history: every run's events (NDJSON) and summary under the app data dir.

export { dataDir, runDir, runsDir } from './paths.js';
export { listRuns, readRunEvents, readSummary } from './reader.js';
export { newRunId } from './run-id.js';
export { RunHistoryWriter } from './writer.js';
export { compareStoredRuns } from './compare-runs.js';
export { resolveStoredRun } from './stored-run.js';
