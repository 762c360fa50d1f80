// Every real pipeline in test/fixtures/real-world/ lists and plans, offline, the way GitLab reads it.
// Each folder is copied into a fresh git repository whose origin names the project, so neither the
// jobsim checkout's branch nor its remote leaks into the simulated pipeline.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobState } from '../../../shared/job-state.js';
import type { JobPlan, PipelinePlan } from '../../../shared/plan.js';
import { formatPlan } from '../../../main/cli/plan-format.js';
import { InputError } from '../../../main/errors.js';
import { loadPipeline } from '../../../main/parse/index.js';

const CORPUS = join(__dirname, '../../fixtures/real-world');
const folders = readdirSync(CORPUS).filter((name) => statSync(join(CORPUS, name)).isDirectory());
const scratch = mkdtempSync(join(tmpdir(), 'jobsim-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Sources {
  repository: string;
  branch: string;
}

function readSources(folder: string): Sources {
  const text = readFileSync(join(CORPUS, folder, 'SOURCES'), 'utf8');
  const field = (name: string): string => {
    const match = new RegExp(`^${name}: (.+)$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`${folder}/SOURCES has no ${name}:`);
    return match[1].trim();
  };
  return { repository: field('repository'), branch: field('branch') };
}

/** The project as a clone of it would look: its files, one commit on its default branch, origin set. */
function checkout(folder: string, sources: Sources): string {
  const dir = join(scratch, folder);
  cpSync(join(CORPUS, folder), dir, { recursive: true });
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=corpus', '-c', 'user.email=corpus@example.invalid', ...args], { cwd: dir, stdio: 'ignore' });
  };
  git('init', '-q', '-b', sources.branch);
  git('add', '-A');
  git('commit', '-q', '-m', 'snapshot');
  const path = new URL(sources.repository).pathname.replace(/^\/|\.git$/g, '');
  git('remote', 'add', 'origin', `https://gitlab.example.invalid/${path}.git`);
  return dir;
}

const loaded = new Map<string, Promise<PipelinePlan>>();

/** Each folder is loaded once; both of its tests share the plan. */
function load(folder: string): Promise<PipelinePlan> {
  const known = loaded.get(folder);
  if (known) return known;
  const sources = readSources(folder);
  const plan = loadPipeline({
    projectDir: checkout(folder, sources),
    homeDir: scratch,
    pipeline: { ref: sources.branch },
  });
  loaded.set(folder, plan);
  return plan;
}

/** GitLab's order: stage, then file order; jobs GitLab would not create left out. */
function createdJobs(plan: PipelinePlan): JobPlan[] {
  return plan.jobs
    .map((job, fileOrder) => ({ job, fileOrder }))
    .filter(({ job }) => jobState(job) !== 'excluded')
    .sort((a, b) => a.job.stageIndex - b.job.stageIndex || a.fileOrder - b.fileOrder)
    .map(({ job }) => job);
}

describe('the real-world corpus', () => {
  it('holds at least 30 projects, each with its SOURCES', () => {
    expect(folders.length).toBeGreaterThanOrEqual(30);
    for (const folder of folders) expect(readSources(folder).repository).toMatch(/^https:\/\//);
  });

  describe.each(folders)('%s', (folder) => {
    it('lists every job and plans each one', async () => {
      let plan: PipelinePlan;
      try {
        plan = await load(folder);
      } catch (error) {
        const detail = error instanceof InputError ? error.message : String(error);
        throw new Error(`${folder} did not load: ${detail}`);
      }
      expect(plan.jobs.length).toBeGreaterThan(0);
      for (const job of plan.jobs) {
        expect(formatPlan(plan, job)).toContain(`job ${job.name}`);
        if (job.blocked) expect(job.blocked.message.length).toBeGreaterThan(10);
      }
    });
  });

  const withExpectation = folders.filter((folder) => {
    try {
      return statSync(join(CORPUS, folder, 'expected-jobs.json')).isFile();
    } catch {
      return false;
    }
  });

  it('has at least five hand-written job lists', () => {
    expect(withExpectation.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(withExpectation)('%s, a push to the default branch', (folder) => {
    it('creates exactly the jobs GitLab would create', async () => {
      const expected = JSON.parse(readFileSync(join(CORPUS, folder, 'expected-jobs.json'), 'utf8')) as { jobs: { name: string; stage: string }[] };
      const plan = await load(folder);
      expect(createdJobs(plan).map((j) => ({ name: j.name, stage: j.stage }))).toEqual(expected.jobs);
    });
  });
});
