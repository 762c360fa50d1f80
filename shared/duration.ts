// GitLab's duration syntax, as in `timeout:` and `artifacts:expire_in`: `90s`, `5m`, `1h 30m`,
// `2 minutes`, `1 hour and 5 mins`, `3 days`, `1 week`; a bare number is seconds.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, wk: 604_800_000, wks: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  mo: 2_592_000_000, month: 2_592_000_000, months: 2_592_000_000,
  y: 31_536_000_000, yr: 31_536_000_000, yrs: 31_536_000_000, year: 31_536_000_000, years: 31_536_000_000,
};

/** Milliseconds, or undefined when the text is not a duration (`never` included: callers decide). */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (input === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * 1000);
  const words = input.replace(/,/g, ' ').split(/\s+/).filter((w) => w !== 'and');
  const pattern = /^(\d+(?:\.\d+)?)([a-z]*)$/;
  let total = 0;
  let matched = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    // `1h30m`: several number+unit pairs glued together.
    const glued = word.match(/\d+(?:\.\d+)?[a-z]+/g);
    if (glued && glued.join('') === word && glued.length > 1) {
      for (const part of glued) {
        const [, amount, unit] = pattern.exec(part) ?? [];
        const factor = unit ? UNIT_MS[unit] : undefined;
        if (!amount || factor === undefined) return undefined;
        total += Number(amount) * factor;
      }
      matched = true;
      continue;
    }
    const [, amount, unitInWord] = pattern.exec(word) ?? [];
    if (!amount) return undefined;
    let unit = unitInWord;
    if (!unit) {
      unit = words[i + 1];
      i++;
    }
    const factor = unit ? UNIT_MS[unit] : undefined;
    if (factor === undefined) return undefined;
    total += Number(amount) * factor;
    matched = true;
  }
  return matched ? Math.round(total) : undefined;
}

/** `1h 30m`, `5m`, `90s` → readable, as the runner prints timeouts. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let seconds = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const amount = Math.floor(seconds / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    seconds -= amount * size;
  }
  return parts.join(' ');
}
