import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../shared/duration.js';

describe('GitLab durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h 30m', 5_400_000],
    ['1h30m', 5_400_000],
    ['2 minutes', 120_000],
    ['1 hour and 5 mins', 3_900_000],
    ['3 days', 259_200_000],
    ['1 week', 604_800_000],
    ['42', 42_000],
    ['1.5h', 5_400_000],
    ['1 day 2 hours 30 minutes', 95_400_000],
    ['2hrs', 7_200_000],
    ['30 mins', 1_800_000],
    ['1d', 86_400_000],
    ['  5m  ', 300_000],
    ['1 hour, 5 minutes', 3_900_000],
    ['2 weeks', 1_209_600_000],
    ['1h 30m 15s', 5_415_000],
    ['1 Hour', 3_600_000],
    ['0', 0],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 parsecs', 'never', 'm5', '5 m x', '-5m', 'and', 'h', '1..5h', '1e3'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats like the runner prints timeouts', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000_000)).toBe('25h');
    expect(formatDuration(250)).toBe('250ms');
    // Round trip: what jobsim prints, GitLab's syntax reads back.
    for (const ms of [1000, 61_000, 5_415_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
