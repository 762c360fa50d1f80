// Shared helpers for parser tests: write a throwaway project folder and load it.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipeline, type LoadOptions } from '../../../main/parse/index.js';
import type { JobPlan, PipelinePlan } from '../../../shared/plan.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A home folder with no ~/.config/jobsim/config.toml, so the developer's own config never leaks in. */
export const EMPTY_HOME = mkdtempSync(join(tmpdir(), 'jobsim-home-'));

export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-parse-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Includes are read offline unless a test says otherwise, with a cache of its own: no test reaches a real server. */
export const EMPTY_INCLUDE_CACHE = mkdtempSync(join(tmpdir(), 'jobsim-include-cache-'));

export function load(projectDir: string, options: Partial<LoadOptions> = {}): Promise<PipelinePlan> {
  return loadPipeline({ projectDir, homeDir: EMPTY_HOME, ...options, includes: { offline: true, cacheDir: EMPTY_INCLUDE_CACHE, ...options.includes } });
}

export async function loadYaml(yaml: string, options: Partial<LoadOptions> = {}): Promise<PipelinePlan> {
  return load(writeProject({ '.gitlab-ci.yml': yaml }), options);
}

export function job(plan: PipelinePlan, name: string): JobPlan {
  const found = plan.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name} in plan (jobs: ${plan.jobs.map((j) => j.name).join(', ')})`);
  return found;
}

export function variable(j: JobPlan, key: string): string | undefined {
  return j.variables.find((v) => v.key === key)?.value;
}

/** The message loadPipeline rejects with (fails the test when it resolves). */
export async function loadError(yaml: string, extraFiles: Record<string, string> = {}): Promise<string> {
  try {
    await load(writeProject({ '.gitlab-ci.yml': yaml, ...extraFiles }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the pipeline to be rejected');
}
