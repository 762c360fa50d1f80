// Artifacts between jobs, kept on the host in the run's folder (there is no GitLab server to hand them to):
// - post-build: uploadArtifacts streams the container's project dir out of Docker, keeps the entries that
//   `artifacts:paths` select (minus `exclude`) and stores them under <runDir>/artifacts/<job>/;
// - pre-build: downloadArtifacts streams the stored folders of the jobs GitLab's rules pick into the next
//   job's project dir through a created, not yet started container (no helper container).
// Rules and messages follow GitLab Runner's archiver; see docs/artifacts.md.

import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { formatBytes } from '../../../shared/bytes.js';
import type { ArtifactsPlan } from '../../../shared/plan.js';
import { getArchive, putArchive } from '../../docker/script-container.js';
import type { JobOutcome, JobRecord, PreparedJob, RunContext } from '../contracts.js';
import { ArtifactSelector, archiveRoots, checkArtifactPattern, type ArtifactPattern } from './paths.js';
import { artifactSources } from './sources.js';
import { StoreState, packStored, storeSelected, type StoreResult } from './store.js';
import { runnerLine } from '../job-run/job-log.js';

/** Folder name of a job in the run's artifact store: readable, and distinct for distinct job names. */
export function artifactFolderName(jobName: string): string {
  const slug = jobName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'job';
  let hash = 0;
  for (const char of jobName) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return `${slug}-${hash.toString(16).padStart(8, '0')}`;
}

/** Why artifacts are not collected for this outcome (GitLab runs upload_artifacts_on_success or …_on_failure). */
export function uploadSkipReason(when: ArtifactsPlan['when'], outcome: JobOutcome): string | undefined {
  if (outcome.state === 'canceled') return 'the job was canceled';
  if (when === 'on_success' && outcome.state !== 'success') return 'artifacts:when is on_success and the job failed';
  if (when === 'on_failure' && outcome.state === 'success') return 'artifacts:when is on_failure and the job succeeded';
  return undefined;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 404;
}

/** Streams the project dir (or only the top-level entries the patterns can match) into the store. */
async function streamIntoStore(
  run: RunContext,
  containerId: string,
  projectDir: string,
  selector: ArtifactSelector,
  destDir: string,
  roots: string[] | undefined,
  warn: (text: string) => void,
): Promise<StoreResult> {
  const state = new StoreState();
  const sources = roots === undefined ? [{ path: projectDir, rootedAt: 'project-dir' as const }] : roots.map((root) => ({ path: posix.join(projectDir, root), rootedAt: 'top-level-entry' as const }));
  for (const source of sources) {
    let archive: NodeJS.ReadableStream;
    try {
      archive = await getArchive(run.docker, containerId, source.path);
    } catch (error) {
      if (isNotFound(error)) continue; // nothing there: the pattern reports "no matching files"
      throw error;
    }
    await storeSelected({ archive, rootedAt: source.rootedAt, projectDir, selector, destDir, warn, secrets: run.secrets }, state);
  }
  return state.result;
}

export async function uploadArtifacts(ctx: PreparedJob, outcome: JobOutcome, containerId: string): Promise<string | undefined> {
  const { job, run, workspace } = ctx;
  const plan = job.artifacts;
  if (!plan || (plan.paths.length === 0 && !plan.untracked)) return undefined;
  const skipped = (reason: string): undefined => {
    run.emit({ type: 'artifact', job: job.name, action: 'skipped', files: 0, bytes: 0, reason });
    return undefined;
  };
  const skip = uploadSkipReason(plan.when, outcome);
  if (skip) return skipped(skip);
  const log = (text: string): void => runnerLine(run, job.name, text);
  log(outcome.state === 'success' ? 'Uploading artifacts for successful job' : 'Uploading artifacts for failed job');
  log('Uploading artifacts...');
  if (plan.untracked) log('WARNING: artifacts:untracked is not supported by jobsim yet: list those files in artifacts:paths');
  const projectDir = workspace.projectDir;
  const paths: ArtifactPattern[] = [];
  for (const written of plan.paths) {
    const check = checkArtifactPattern(written, projectDir);
    if (check.ok) paths.push(check.pattern);
    else log(`WARNING: ${check.warning}`);
  }
  const excludes = plan.exclude.flatMap((written) => {
    const check = checkArtifactPattern(written, projectDir);
    return check.ok ? [check.pattern] : [];
  });
  if (paths.length === 0) {
    log('ERROR: No files to upload');
    return skipped('no artifact path inside the build directory');
  }
  const destDir = join(run.runDir, 'artifacts', artifactFolderName(job.name));
  await rm(destDir, { recursive: true, force: true });
  const selector = new ArtifactSelector(paths, excludes);
  const stored = await streamIntoStore(run, containerId, projectDir, selector, destDir, archiveRoots(paths), (text) => log(`WARNING: ${text}`));
  for (const pattern of paths) {
    const found = selector.found.get(pattern) ?? 0;
    if (found > 0) log(`${pattern.written}: found ${found} matching artifact files and directories`);
    else log(`WARNING: ${pattern.written}: no matching files. Ensure that the artifact path is relative to the working directory (${projectDir})`);
  }
  for (const pattern of excludes) {
    const excluded = selector.excluded.get(pattern) ?? 0;
    if (excluded > 0) log(`${pattern.written}: excluded ${excluded} files`);
  }
  if (stored.files + stored.directories === 0) {
    await rm(destDir, { recursive: true, force: true });
    log('ERROR: No files to upload');
    return skipped('no matching files');
  }
  log(`Stored ${stored.files} files (${formatBytes(stored.bytes)}) in the local artifact store`);
  run.emit({ type: 'artifact', job: job.name, action: 'uploaded', files: stored.files, bytes: stored.bytes });
  return destDir;
}

export async function downloadArtifacts(ctx: PreparedJob, upstream: JobRecord[], containerId: string): Promise<void> {
  const { job, run, workspace } = ctx;
  const sources = artifactSources(job, upstream);
  if (sources.length === 0) return;
  const buildsDir = run.plan.runner.buildsDir;
  const prefix = posix.relative(buildsDir, workspace.projectDir);
  // Putting below the builds dir lets Docker create a missing project dir; a project dir outside it is used as is.
  const [destDir, namePrefix] = prefix.startsWith('..') || posix.isAbsolute(prefix) ? [workspace.projectDir, ''] : [buildsDir, prefix];
  for (const source of sources) {
    runnerLine(run, job.name, `Downloading artifacts for ${source.job.name}...`);
    const pack = packStored(source.artifactsDir, namePrefix);
    const put = putArchive(run.docker, containerId, destDir, pack.tar).catch((error: unknown) => {
      pack.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
    const [, totals] = await Promise.all([put, pack.done]);
    runnerLine(run, job.name, `Downloading artifacts from the local artifact store... ok  files=${totals.files} size=${formatBytes(totals.bytes)}`);
    run.emit({ type: 'artifact', job: job.name, action: 'downloaded', from: source.job.name, files: totals.files, bytes: totals.bytes });
  }
}
