// The parser's entry point: the user's CI file + runner config + CLI variables → one PipelinePlan.

import { isAbsolute, join, resolve } from 'node:path';
import type { PipelineChoice, PipelinePlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { displayPath, findCiFile, findRunnerConfig } from './discover.js';
import { GitChanges } from './git-changes.js';
import { readGitInfo, projectPathFrom } from './git-info.js';
import { buildGitlabPipeline } from './gitlab-ci.js';
import { simulatedPipeline } from './pipeline-choice.js';
import { applyIncludes } from './include.js';
import { Problems } from './problems.js';
import { ProjectFiles } from './project-glob.js';
import { defaultRunnerConfig, readRunnerConfig } from './runner-config.js';
import { readSecretsFile } from './secrets-file.js';
import { readSourceFile } from './source-file.js';
import { plainVariables } from './variables.js';

export interface LoadOptions {
  projectDir: string;
  file?: string;
  runnerConfig?: string;
  variables?: Record<string, string>;
  secrets?: Record<string, string>;
  secretsFile?: string;
  pipelineId?: number;
  homeDir?: string;
  /** The pipeline to simulate; a push to the checked-out branch by default (and `--compare-to`). */
  pipeline?: PipelineChoice;
}

export async function loadPipeline(options: LoadOptions): Promise<PipelinePlan> {
  const projectDir = resolve(options.projectDir);
  const ciFile = findCiFile(projectDir, options.file);
  const format = ciFile.path.endsWith('.json') ? 'alloy-ci' : 'gitlab-ci';
  const runnerPath = findRunnerConfig(projectDir, options.runnerConfig, options.homeDir);

  const [written, runnerConfig, git, fileSecrets] = await Promise.all([
    readSourceFile(ciFile.path, ciFile.display),
    runnerPath ? readRunnerConfig(runnerPath) : defaultRunnerConfig(),
    readGitInfo(projectDir),
    readSecrets(projectDir, options.secretsFile),
  ]);
  if (written.kind !== 'map') {
    throw new InputError(`${format === 'alloy-ci' ? 'the JSON file' : 'the file'} should contain a mapping of keywords and jobs`, written.where);
  }

  const secrets = { ...fileSecrets, ...options.secrets };
  const problems = new Problems(Object.values(secrets));
  const files = new ProjectFiles(projectDir);
  const root = format === 'gitlab-ci' ? await applyIncludes(written, { projectDir, files, seen: new Set([ciFile.display]), problems }) : written;
  const projectPath = projectPathFrom(git.originUrl, projectDir);
  const runner = runnerConfig.runner;
  const projectDirInContainer = `${runner.buildsDir.replace(/\/+$/, '')}/${projectPath}`;
  const pipeline = simulatedPipeline(options.pipeline ?? {}, git);
  const changes = new GitChanges({ projectDir, pipeline, defaultBranch: git.defaultBranch ?? 'main', compareTo: options.pipeline?.compareTo }, problems);
  const { stages, jobs } = buildGitlabPipeline(root, {
    facts: { projectPath, projectDirInContainer, pipelineId: options.pipelineId ?? 1, git, runner, pipeline },
    projectDir,
    files,
    changes,
    runnerConfig,
    cliVariables: plainVariables(options.variables, 'cli', false),
    secretVariables: plainVariables(secrets, 'secret', true),
    problems,
  });
  problems.throwIfAny();
  return {
    projectDir,
    projectPath,
    file: ciFile.display,
    format,
    stages,
    jobs,
    runner,
    warnings: [...runnerConfig.warnings, ...problems.sortedWarnings()],
  };
}

async function readSecrets(projectDir: string, written: string | undefined): Promise<Record<string, string>> {
  const path = written ? (isAbsolute(written) ? written : resolve(projectDir, written)) : join(projectDir, '.jobsim', 'secrets.env');
  return readSecretsFile(path, displayPath(projectDir, path), written !== undefined);
}

export { selectJobs } from './select.js';
