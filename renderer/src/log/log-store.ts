// Log lines per job, kept outside React: the terminal reads them directly, components only see counts.
// Bounded per job; the oldest lines are dropped first (they stay in the stored run).

import { SectionIndex, type LogSection } from './sections.js';

export const MAX_LINES_PER_JOB = 200_000;

// One shared empty list: views compare snapshots by reference, and a new [] each time never settles.
const NO_SECTIONS: readonly LogSection[] = [];
const NO_LINES: readonly string[] = [];

type LineListener = (lines: readonly string[]) => void;

/** Where a service's own output is kept, beside its job's log (which has it too, interleaved). */
export function serviceLogKey(job: string, service: string): string {
  return `${job}\u0000service:${service}`;
}

export class LogStore {
  private readonly lines = new Map<string, string[]>();
  private readonly droppedCounts = new Map<string, number>();
  private readonly sectionIndexes = new Map<string, SectionIndex>();
  private readonly listeners = new Map<string, Set<LineListener>>();
  private readonly resetListeners = new Set<(job: string) => void>();
  /** Jobs whose whole log was loaded on demand: no longer trimmed. */
  private readonly whole = new Set<string>();

  constructor(private readonly maxLines = MAX_LINES_PER_JOB) {}

  /** Adds lines to a job's log and tells the job's listeners. */
  append(job: string, added: readonly string[]): void {
    if (added.length === 0) return;
    let lines = this.lines.get(job);
    if (!lines) this.lines.set(job, (lines = []));
    for (const line of added) lines.push(line);
    let index = this.sectionIndexes.get(job);
    if (!index) this.sectionIndexes.set(job, (index = new SectionIndex()));
    index.feed(added);
    if (lines.length > this.maxLines && !this.whole.has(job)) {
      const excess = lines.length - this.maxLines;
      lines.splice(0, excess);
      this.droppedCounts.set(job, (this.droppedCounts.get(job) ?? 0) + excess);
    }
    for (const listener of this.listeners.get(job) ?? []) listener(added);
  }

  linesOf(job: string): readonly string[] {
    return this.lines.get(job) ?? NO_LINES;
  }

  /** GitLab log sections of the job, with absolute line numbers (see droppedOf). */
  sectionsOf(job: string): readonly LogSection[] {
    return this.sectionIndexes.get(job)?.sections ?? NO_SECTIONS;
  }

  /** How many of the job's oldest lines were dropped: lines of linesOf() start at this absolute number. */
  droppedOf(job: string): number {
    return this.droppedCounts.get(job) ?? 0;
  }

  subscribe(job: string, listener: LineListener): () => void {
    let set = this.listeners.get(job);
    if (!set) this.listeners.set(job, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Replaces a job's lines with its whole log (loaded from the stored run on demand), kept untrimmed,
   * and tells the views to redraw.
   */
  replaceWithWholeLog(job: string, lines: string[]): void {
    this.whole.add(job);
    this.lines.set(job, lines);
    this.droppedCounts.set(job, 0);
    const index = new SectionIndex();
    index.feed(lines);
    this.sectionIndexes.set(job, index);
    for (const listener of this.resetListeners) listener(job);
    for (const listener of this.listeners.get(job) ?? []) listener([]);
  }

  onReset(listener: (job: string) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  clear(): void {
    this.whole.clear();
    this.lines.clear();
    this.droppedCounts.clear();
    this.sectionIndexes.clear();
  }
}
