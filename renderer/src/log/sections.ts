// GitLab's collapsible log sections: `\e[0Ksection_start:<unix>:<name>[collapsed=true]\r\e[0K<header>`
// opens one, `\e[0Ksection_end:<unix>:<name>\r\e[0K` closes it. The job log shows them as foldable
// blocks with their durations.

const START = /section_start:(\d+):([A-Za-z0-9_.-]+)(\[[^\]]*\])?\r(?:\x1b\[0K)?(.*)$/;
const END = /section_end:(\d+):([A-Za-z0-9_.-]+)/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export interface LogSection {
  name: string;
  /** The header text without colour codes. */
  header: string;
  /** Index of the line that opens the section. */
  startLine: number;
  /** Index of the line that closes it; undefined while it is still open. */
  endLine?: number;
  startedAt: number;
  endedAt?: number;
  collapsedByDefault: boolean;
  depth: number;
}

/**
 * Finds sections as lines arrive, in one pass: a log of a million lines is never rescanned.
 * Line numbers are absolute (they keep counting when a store drops its oldest lines).
 */
export class SectionIndex {
  private all: LogSection[] = [];
  private readonly open: LogSection[] = [];
  private nextLine = 0;

  /** The sections so far; a new array whenever one opens or closes, so views can compare by reference. */
  get sections(): readonly LogSection[] {
    return this.all;
  }

  feed(lines: readonly string[]): void {
    for (const line of lines) {
      const index = this.nextLine++;
      // Cheap test first: almost no line is a marker.
      if (!line.includes('section_')) continue;
      const start = START.exec(line);
      if (start) {
        const section: LogSection = {
          name: start[2] ?? '',
          header: (start[4] ?? '').replace(ANSI, '').trim(),
          startLine: index,
          startedAt: Number(start[1]) * 1000,
          collapsedByDefault: (start[3] ?? '').includes('collapsed=true'),
          depth: this.open.length,
        };
        this.all = [...this.all, section];
        this.open.push(section);
        continue;
      }
      const end = END.exec(line);
      if (!end) continue;
      const position = this.open.map((s) => s.name).lastIndexOf(end[2] ?? '');
      if (position < 0) continue;
      const [closing] = this.open.splice(position);
      if (!closing) continue;
      this.all = this.all.map((s) => (s === closing ? { ...s, endLine: index, endedAt: Number(end[1]) * 1000 } : s));
    }
  }
}

export function findSections(lines: readonly string[]): LogSection[] {
  const index = new SectionIndex();
  index.feed(lines);
  return [...index.sections];
}

export function sectionDurationMs(section: LogSection): number | undefined {
  return section.endedAt === undefined ? undefined : section.endedAt - section.startedAt;
}

/**
 * The lines to show when some sections are collapsed: a collapsed section keeps only its header line.
 * `firstLine` is the absolute number of lines[0] (non-zero once old lines were dropped).
 */
export function visibleLines(lines: readonly string[], sections: readonly LogSection[], collapsed: ReadonlySet<string>, firstLine = 0): string[] {
  const hidden = sections
    .filter((s) => collapsed.has(sectionKey(s)))
    .map((s) => [s.startLine + 1, s.endLine ?? Number.MAX_SAFE_INTEGER] as const);
  if (hidden.length === 0) return [...lines];
  return lines.filter((_line, index) => !hidden.some(([from, to]) => index + firstLine >= from && index + firstLine <= to));
}

/** Sections can repeat a name (two `step_script`s in nested includes); the start line makes it unique. */
export function sectionKey(section: LogSection): string {
  return `${section.name}@${section.startLine}`;
}
