// The parser's entry point: the user's CI file + runner config + CLI variables → one PipelinePlan.

import { isAbsolute, join, resolve } from 'node:path';
import type { ParseWarning, PipelineChoice, PipelinePlan } from '../../shared/plan.js';
import type { ServerChoice } from '../../shared/server-choice.js';
import { InputError } from '../errors.js';
import { displayPath, findCiFile, findRunnerConfig } from './discover.js';
import { GitChanges } from './git-changes.js';
import { readGitInfo } from './git-info.js';
import { buildGitlabPipeline } from './gitlab-ci.js';
import { simulatedPipeline } from './pipeline-choice.js';
import { applyRootIncludes } from './include.js';
import { includeState, type IncludeOptions } from './include-settings.js';
import { Problems } from './problems.js';
import { ProjectFiles } from './project-glob.js';
import { defaultRunnerConfig, readRunnerConfig } from './runner-config.js';
import { readSecretsFile } from './secrets-file.js';
import { PLACEHOLDER_SERVER_URL, serverFacts } from './server-facts.js';
import { readCiDocuments } from './source-file.js';
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
  /** Server URL, project path, default branch and registry when the origin remote does not say them. */
  server?: ServerChoice;
  /** `--default-image REF`: the image of jobs that have none when the runner config sets none either. */
  defaultImage?: string;
  /** CI_SERVER_URL for includes when the server choice does not say it (tests give a loopback server). */
  serverUrl?: string;
  /** How remote, project, template and component includes are read (see docs/includes.md). */
  includes?: IncludeOptions;
}

export async function loadPipeline(options: LoadOptions): Promise<PipelinePlan> {
  const projectDir = resolve(options.projectDir);
  const ciFile = findCiFile(projectDir, options.file);
  const format = ciFile.path.endsWith('.json') ? 'alloy-ci' : 'gitlab-ci';
  const runnerPath = findRunnerConfig(projectDir, options.runnerConfig, options.homeDir);

  const fileWarnings: ParseWarning[] = [];
  const [documents, runnerConfig, localGit, fileSecrets] = await Promise.all([
    readCiDocuments(ciFile.path, ciFile.display, { warn: (message, where) => fileWarnings.push({ message, where }) }),
    runnerPath ? readRunnerConfig(runnerPath) : defaultRunnerConfig(),
    readGitInfo(projectDir),
    readSecrets(projectDir, options.secretsFile),
  ]);
  const server = serverFacts(localGit, options.server ?? {}, projectDir);
  const git = { ...localGit, defaultBranch: server.defaultBranch };
  const written = documents.body;
  if (written.kind !== 'map') {
    throw new InputError(`${format === 'alloy-ci' ? 'the JSON file' : 'the file'} should contain a mapping of keywords and jobs`, written.where);
  }

  const secrets = { ...fileSecrets, ...options.secrets };
  const problems = new Problems(Object.values(secrets));
  for (const w of fileWarnings) problems.warn(w.message, w.where);
  const files = new ProjectFiles(projectDir);
  const projectPath = server.projectPath;
  const runner = runnerConfig.runner;
  const projectDirInContainer = `${runner.buildsDir.replace(/\/+$/, '')}/${projectPath}`;
  const pipeline = simulatedPipeline(options.pipeline ?? {}, git);
  const facts = { projectPath, projectDirInContainer, pipelineId: options.pipelineId ?? 1, git, runner, pipeline, server };
  const changes = new GitChanges({ projectDir, pipeline, defaultBranch: server.defaultBranch, compareTo: options.pipeline?.compareTo }, problems);
  const cliVariables = plainVariables(options.variables, 'cli', false);
  const secretVariables = plainVariables(secrets, 'secret', true);
  const includeServer = options.serverUrl ?? (server.url === PLACEHOLDER_SERVER_URL ? undefined : server.url);
  const includes = includeState({ projectDir, files, changes, problems, facts, serverUrl: includeServer, cliVariables, secretVariables, options: options.includes ?? {} });
  const root = format === 'gitlab-ci' ? await applyRootIncludes(documents, includes) : written;
  if (root.kind !== 'map') throw new InputError('the file should contain a mapping of keywords and jobs', root.where);
  const { stages, jobs, ...workflow } = buildGitlabPipeline(root, { facts, projectDir, files, changes, runnerConfig, cliVariables, secretVariables, problems, ...(options.defaultImage ? { defaultImage: options.defaultImage } : {}) }, includes.unreachable);
  problems.throwIfAny();
  return {
    ...workflow,
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
