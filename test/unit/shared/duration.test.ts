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
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 parsecs', 'never', 'm5'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats like the runner prints timeouts', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_000)).toBe('1m 30s');
  });
});
