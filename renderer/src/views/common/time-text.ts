// Times as the history and cache views show them.

const MINUTE = 60_000;

/** The time between two instants, roughly: `5 min`, `3 h`, `4 days`. */
export function elapsed(from: number, to: number): string {
  const minutes = Math.round((to - from) / MINUTE);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** `3 h ago`, relative to `now`. */
export function ago(time: number | undefined, now: number): string {
  if (time === undefined) return '—';
  return now - time < MINUTE ? 'just now' : `${elapsed(time, now)} ago`;
}

/** A fixed, sortable local time: `2024-05-02 14:03`. */
export function localTime(time: number): string {
  const d = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
