// Run ids sort by start time as plain strings: `20261123-072155-3f9a1c`.

import { randomBytes } from 'node:crypto';

export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-23T07:21:55.123Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
