import { describe, expect, it } from 'vitest';
import { findSections, sectionDurationMs, sectionKey, SectionIndex, visibleLines } from '../../renderer/src/log/sections.js';
import { SECTION_END, SECTION_START } from './fixtures.js';

const log = [
  SECTION_START('prepare_executor', '\x1b[36;1mPreparing the "docker" executor\x1b[0;m', 100),
  'Using docker image sha256:abc for busybox:1.36',
  SECTION_END('prepare_executor', 101),
  SECTION_START('step_script', 'Executing "step_script" stage of the job script', 101),
  '$ echo hi',
  'hi',
  SECTION_START('inner', 'Inner', 102),
  'inner line',
  SECTION_END('inner', 103),
  SECTION_END('step_script', 104),
  'Job succeeded',
];

describe('GitLab log sections', () => {
  it('finds sections with headers, nesting and durations', () => {
    const sections = findSections(log);
    expect(sections.map((s) => [s.name, s.header, s.startLine, s.endLine, s.depth])).toEqual([
      ['prepare_executor', 'Preparing the "docker" executor', 0, 2, 0],
      ['step_script', 'Executing "step_script" stage of the job script', 3, 9, 0],
      ['inner', 'Inner', 6, 8, 1],
    ]);
    expect(sections.map(sectionDurationMs)).toEqual([1000, 3000, 1000]);
  });

  it('hides the body of a collapsed section and keeps its header', () => {
    const sections = findSections(log);
    const stepScript = sections.find((s) => s.name === 'step_script');
    if (!stepScript) throw new Error('missing section');
    expect(visibleLines(log, sections, new Set([sectionKey(stepScript)]))).toEqual([...log.slice(0, 4), 'Job succeeded']);
  });

  it('reads sections as lines arrive, split anywhere', () => {
    const index = new SectionIndex();
    index.feed(log.slice(0, 5));
    expect(index.sections.at(-1)?.endLine).toBeUndefined();
    const before = index.sections;
    index.feed(log.slice(5));
    expect(index.sections).not.toBe(before);
    expect(index.sections).toEqual(findSections(log));
  });

  it('reads collapsed=true and ignores an end with no start', () => {
    const sections = findSections([`\x1b[0Ksection_start:1:deps[collapsed=true]\r\x1b[0KInstall`, 'x', SECTION_END('other'), SECTION_END('deps')]);
    expect(sections).toEqual([expect.objectContaining({ name: 'deps', collapsedByDefault: true, endLine: 3 })]);
  });
});
