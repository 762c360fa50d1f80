// Collects every problem in the user's files before failing, so one run shows them all.

import type { InputProblem } from '../../shared/api.js';
import type { JobBlock, ParseWarning, SourceLocation } from '../../shared/plan.js';
import { InputError } from '../errors.js';

/** Shorter secrets would blank out ordinary words in messages; GitLab itself masks 8+ characters. */
const MIN_REDACTED_LENGTH = 4;

export class Problems {
  readonly errors: InputProblem[] = [];
  readonly warnings: ParseWarning[] = [];
  private readonly secrets: string[];
  /** Jobs GitLab would accept but jobsim cannot run, by job name (as written, before `parallel:`). */
  private readonly blocks = new Map<string, JobBlock>();

  /** Secret values never appear in messages, even when a file expands them into an image name or a path. */
  constructor(secrets: readonly string[] = []) {
    this.secrets = secrets.filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  }

  error(message: string, where?: SourceLocation): void {
    this.errors.push({ message: this.redact(message), where });
  }

  warn(message: string, where?: SourceLocation): void {
    this.warnings.push({ message: this.redact(message), where });
  }

  /** Records why a job cannot run here; its other jobs are unaffected. The first reason recorded wins. */
  blockJob(job: string, block: JobBlock): void {
    if (this.blocks.has(job)) return;
    this.blocks.set(job, { ...block, message: this.redact(block.message) });
  }

  jobBlock(job: string): JobBlock | undefined {
    return this.blocks.get(job);
  }

  private redact(message: string): string {
    return this.secrets.reduce((text, secret) => text.split(secret).join('[MASKED]'), message);
  }

  /** Warnings in file order (they are found job by job, keyword by keyword). */
  sortedWarnings(): ParseWarning[] {
    return [...this.warnings].sort(compareProblems);
  }

  /** Throws one InputError naming every problem, sorted by position, when there is any. */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const sorted = [...this.errors].sort(compareProblems);
    throw new InputError(sorted);
  }
}

function compareProblems(a: InputProblem, b: InputProblem): number {
  if (!a.where || !b.where) return a.where ? -1 : b.where ? 1 : 0;
  return a.where.file.localeCompare(b.where.file) || a.where.line - b.where.line || a.where.col - b.where.col;
}
