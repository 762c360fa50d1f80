// Docker's memory sizes: `512m`, `1g`, `1.5GB`, `128000000` (bytes). Binary units, as `docker run -m`.

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? undefined : Math.floor(Number(match[1]) * factor);
}
