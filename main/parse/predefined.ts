// GitLab's predefined CI_* variables, as far as they make sense on a workstation.

import type { JobPlan, RunnerPlan } from '../../shared/plan.js';
import type { GitInfo } from './git-info.js';
import type { SimulatedPipeline } from './pipeline-choice.js';
import { slug } from './git-info.js';
import type { ServerFacts } from './server-facts.js';
import { serverVariables } from './server-variables.js';
import type { RawVariable } from './variables.js';

export interface PipelineFacts {
  projectPath: string;
  projectDirInContainer: string;
  pipelineId: number;
  git: GitInfo;
  runner: RunnerPlan;
  /** The pipeline being simulated: its ref, branch or tag, and source. */
  pipeline: SimulatedPipeline;
  /** The server and project identity (CI_SERVER_*, CI_PROJECT_*, CI_REGISTRY*); its projectPath is projectPath. */
  server: ServerFacts;
}

export interface JobFacts {
  name: string;
  stage: string;
  /** 0-based position of the job in the file, for CI_JOB_ID. */
  index: number;
  imageName: string;
  timeoutMs: JobPlan['timeoutMs'];
}

export function jobId(pipelineId: number, index: number): number {
  return pipelineId * 1000 + index + 1;
}

/** Branch, tag and merge request variables, as GitLab sets them for each kind of pipeline. */
function refVariables(p: PipelineFacts): [string, string | undefined][] {
  const { ref, kind, mergeRequest } = p.pipeline;
  const common: [string, string | undefined][] = [['CI_COMMIT_REF_NAME', ref], ['CI_COMMIT_REF_SLUG', slug(ref)]];
  if (kind === 'tag') return [['CI_COMMIT_TAG', ref], ...common];
  if (!mergeRequest) return [['CI_COMMIT_BRANCH', ref], ...common];
  // Merge request pipelines have no CI_COMMIT_BRANCH (GitLab's predefined variables reference).
  return [
    ...common,
    ['CI_MERGE_REQUEST_ID', String(p.pipelineId)],
    ['CI_MERGE_REQUEST_IID', '1'],
    ['CI_MERGE_REQUEST_EVENT_TYPE', 'detached'],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', mergeRequest.sourceBranch],
    ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME', mergeRequest.targetBranch],
    ['CI_MERGE_REQUEST_PROJECT_PATH', p.projectPath],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', p.projectPath],
    ['CI_MERGE_REQUEST_TITLE', p.git.title],
  ];
}

export function predefinedVariables(p: PipelineFacts, job: JobFacts): RawVariable[] {
  const values: [string, string | undefined][] = [
    ['CI', 'true'],
    ['GITLAB_CI', 'true'],
    ['CI_SERVER', 'yes'],
    ['CI_DISPOSABLE_ENVIRONMENT', 'true'],
    ['CI_RUNNER_EXECUTABLE_ARCH', `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`],
    ['CI_RUNNER_DESCRIPTION', 'jobsim'],
    ['CI_BUILDS_DIR', p.runner.buildsDir],
    ['CI_PROJECT_DIR', p.projectDirInContainer],
    ...serverVariables(p.server),
    ['CI_PIPELINE_ID', String(p.pipelineId)],
    ['CI_PIPELINE_IID', String(p.pipelineId)],
    ['CI_PIPELINE_SOURCE', p.pipeline.source],
    ['CI_JOB_ID', String(jobId(p.pipelineId, job.index))],
    ['CI_JOB_NAME', job.name],
    ['CI_JOB_NAME_SLUG', slug(job.name)],
    ['CI_JOB_STAGE', job.stage],
    ['CI_JOB_IMAGE', job.imageName],
    ['CI_JOB_TIMEOUT', String(Math.round(job.timeoutMs / 1000))],
    ['CI_NODE_TOTAL', '1'],
    ['CI_COMMIT_SHA', p.git.sha],
    ['CI_COMMIT_SHORT_SHA', p.git.sha?.slice(0, 8)],
    ['CI_COMMIT_BEFORE_SHA', p.git.sha ? '0000000000000000000000000000000000000000' : undefined],
    ...refVariables(p),
    ['CI_COMMIT_TITLE', p.git.title],
    ['CI_COMMIT_MESSAGE', p.git.message],
    ['CI_COMMIT_AUTHOR', p.git.author],
    ['CI_COMMIT_TIMESTAMP', p.git.timestamp],
    ['CI_DEFAULT_BRANCH', p.server.defaultBranch],
  ];
  return values
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    // Predefined values are data, never templates: `$` in a commit message stays as written.
    .map(([key, value]) => ({ key, value, source: 'predefined', masked: false, expand: false }));
}
