// Whether a process that created something (a Docker object, a stored run) is still the one running under
// its PID. Used by the reaper and by the run history, which both sit above it.

import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a live process that can have created an object at `createdAtMs`. A PID reused by a
 * process started after the object was created does not count (Linux: start time from /proc).
 */
export function processOwnsObject(pid: number, createdAtMs: number | undefined): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startedAt = linuxProcessStartMs(pid);
  // Start times are in clock ticks; allow a second of slack for rounding.
  return startedAt === undefined || createdAtMs === undefined || startedAt <= createdAtMs + 1000;
}

function linuxProcessStartMs(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) follows the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const bootLine = readFileSync('/proc/stat', 'utf8').split('\n').find((line) => line.startsWith('btime '));
    const bootSeconds = Number(bootLine?.split(' ')[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return undefined;
    const CLOCK_TICKS_PER_SECOND = 100;
    return (bootSeconds + startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}
