// The files `rules:changes` and `only:changes` look at: what the local repository changed against a
// compare ref — commits since the merge base with it, plus staged, unstaged and untracked (not ignored)
// files of the working tree, as if they were all pushed. The ref is the rule's `compare_to`, else
// `--compare-to`, else the merge request's target (merge request pipelines) or the default branch,
// taken as `origin/<name>` when the clone has it (what the server has seen), else the local branch.
// Where GitLab has no list of changed files (tag, schedule, web, api and trigger pipelines), or the
// repository cannot tell, every `changes` clause counts as changed, as GitLab does, with one warning.
// git runs synchronously (rules are evaluated job by job) and only when a `changes` clause is met.

import { execFileSync } from 'node:child_process';
import type { SourceLocation } from '../../shared/plan.js';
import type { SimulatedPipeline } from './pipeline-choice.js';
import type { Problems } from './problems.js';

export type ChangedFiles = { known: true; paths: string[]; against: string } | { known: false; why: string };

export interface ChangesInput {
  projectDir: string;
  pipeline: SimulatedPipeline;
  defaultBranch: string;
  /** `--compare-to REF`. */
  compareTo?: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

export class GitChanges {
  private readonly byRef = new Map<string, ChangedFiles>();
  private readonly warned = new Set<string>();

  constructor(private readonly input: ChangesInput, private readonly problems: Problems) {}

  /** `compareTo`: the rule's `compare_to` (variables expanded); undefined for the pipeline's own diff. */
  changed(compareTo: string | undefined, where: SourceLocation): ChangedFiles {
    const explicit = compareTo ?? this.input.compareTo;
    const key = explicit === undefined ? '' : `ref:${explicit}`;
    let result = this.byRef.get(key);
    if (!result) {
      result = explicit === undefined ? this.pipelineDiff() : this.diffAgainst([explicit, `origin/${explicit}`], explicit);
      this.byRef.set(key, result);
    }
    if (!result.known && !this.warned.has(result.why)) {
      this.warned.add(result.why);
      this.problems.warn(`changes: counted as changed, as GitLab does when it has no list of changed files: ${result.why}`, where);
    }
    return result;
  }

  private pipelineDiff(): ChangedFiles {
    const { pipeline, defaultBranch } = this.input;
    if (pipeline.kind === 'tag') return { known: false, why: 'a tag pipeline has no diff' };
    if (pipeline.source !== 'push' && pipeline.source !== 'merge_request_event') {
      return { known: false, why: `a ${pipeline.source} pipeline has no diff (--compare-to REF gives it one)` };
    }
    const base = pipeline.mergeRequest?.targetBranch ?? defaultBranch;
    return this.diffAgainst([`refs/remotes/origin/${base}`, base], base);
  }

  private diffAgainst(candidates: string[], written: string): ChangedFiles {
    const dir = this.input.projectDir;
    if (git(dir, ['rev-parse', '--is-inside-work-tree']) !== 'true\n') return { known: false, why: 'the project is not a git repository' };
    if (written.startsWith('-') || written.trim() === '') return { known: false, why: `"${written.slice(0, 80)}" is not a git ref` };
    const head = git(dir, ['rev-parse', '--verify', '-q', 'HEAD']);
    if (!head) return { known: false, why: 'the repository has no commit yet' };
    const sha = candidates.map((ref) => git(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${ref}^{commit}`])).find(Boolean);
    if (!sha) return { known: false, why: `the compare ref "${written.slice(0, 80)}" is not known to the local repository (fetch it, or choose one with --compare-to REF)` };
    const base = git(dir, ['merge-base', 'HEAD', sha.trim()]);
    if (!base) return { known: false, why: `"${written.slice(0, 80)}" has no common history with HEAD` };
    const tracked = git(dir, ['diff', '--name-only', '-z', '--no-renames', '--relative', base.trim(), '--']);
    const untracked = git(dir, ['ls-files', '-z', '--others', '--exclude-standard']);
    if (tracked === undefined || untracked === undefined) return { known: false, why: 'git could not list the changed files' };
    const paths = [...new Set([...tracked.split('\0'), ...untracked.split('\0')].filter((p) => p !== ''))].sort();
    return { known: true, paths, against: written };
  }
}

/** stdout, or undefined when git is missing or fails. No shell: arguments reach git as they are. */
function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, maxBuffer: MAX_OUTPUT, windowsHide: true });
  } catch {
    return undefined;
  }
}
