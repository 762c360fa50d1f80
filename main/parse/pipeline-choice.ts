// The pipeline jobsim simulates, from the user's choice (`--ref`, `--tag`, `--source`, `--mr-target`) and
// the local git repository: by default a push to the checked-out branch, as GitLab would run on push.

import type { PipelineChoice, PipelineSource } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import type { GitInfo } from './git-info.js';

export interface SimulatedPipeline {
  /** The branch or tag the pipeline runs for (the source branch of a merge request). */
  ref: string;
  kind: 'branch' | 'tag';
  source: PipelineSource;
  /** For source merge_request_event. */
  mergeRequest?: { sourceBranch: string; targetBranch: string };
}

/** GitLab's limit on ref names, and what git refuses in them. */
export function checkRefName(text: string, flag: string): string {
  const name = text.trim();
  if (name === '' || name.length > 255 || /[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|^-|\/$|\.lock$/.test(name)) {
    throw new InputError(`--${flag} "${name.slice(0, 80)}" is not a valid git ref name`);
  }
  return name;
}

export function simulatedPipeline(choice: PipelineChoice, git: GitInfo): SimulatedPipeline {
  if (choice.tag !== undefined && choice.ref !== undefined) throw new InputError('--tag and --ref name two different pipelines: give one of them');
  if (choice.tag !== undefined && (choice.mrTarget !== undefined || choice.source === 'merge_request_event')) {
    throw new InputError('a merge request pipeline runs for a branch, not a tag: drop --tag or --mr-target');
  }
  const source: PipelineSource = choice.source ?? (choice.mrTarget !== undefined ? 'merge_request_event' : 'push');
  if (choice.mrTarget !== undefined && source !== 'merge_request_event') {
    throw new InputError(`--mr-target makes a merge request pipeline; it cannot have --source ${source}`);
  }
  const defaultBranch = git.defaultBranch ?? 'main';
  if (choice.tag !== undefined) return { ref: checkRefName(choice.tag, 'tag'), kind: 'tag', source };
  const ref = choice.ref !== undefined ? checkRefName(choice.ref, 'ref') : git.branch ?? defaultBranch;
  if (source !== 'merge_request_event') return { ref, kind: 'branch', source };
  const targetBranch = choice.mrTarget !== undefined ? checkRefName(choice.mrTarget, 'mr-target') : defaultBranch;
  return { ref, kind: 'branch', source, mergeRequest: { sourceBranch: ref, targetBranch } };
}
