// Docker's memory sizes, parsed as go-units RAMInBytes does (what GitLab Runner uses for `memory`):
// `512m`, `1g`, `1.5GB`, `2GiB`, `512 m`, `128000000` (bytes). Units are binary, as `docker run -m`.

const FACTOR: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;

/** Bytes, or undefined when the value is not a size Docker accepts. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const factor = FACTOR[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(match[1]) * factor);
}
