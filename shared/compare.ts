// Compares two runs from their events: what support staff use to show "your job differs from ours in X".
// Pure, so the CLI (`jobsim compare`), the API and the UI's replay of stored runs give the same answer.

import type { CacheAction, PullDecision, RunEvent, RunStatus, StageName } from './events.js';
import { STAGE_NAMES } from './events.js';

export interface ComparedRun {
  runId: string;
  status: RunStatus | 'running';
  startedAt: number;
  durationMs?: number;
  projectPath: string;
}

/** One value on each side; `undefined` where that run has none. */
export interface Pair<T> {
  a?: T;
  b?: T;
  changed: boolean;
}

export interface ImageUse {
  image: string;
  /** The repo digest, else the image ID: what actually ran. */
  digest?: string;
  decision: PullDecision;
  policy: string;
}

export interface CacheUse {
  action: CacheAction;
  bytes?: number;
  files?: number;
}

export type LogDiffLine =
  | { op: 'same' | 'added' | 'removed'; text: string }
  /** A run of identical lines left out (more than a few lines away from any change). */
  | { op: 'skipped'; count: number };

export interface JobComparison {
  job: string;
  state: Pair<string>;
  exitCode: Pair<number>;
  /** Stage durations in milliseconds. */
  stages: ({ stage: StageName } & Pair<number>)[];
  /** Per container (`build` or a service name). */
  images: ({ container: string } & Pair<ImageUse>)[];
  /** Masked values compare as `[MASKED]`: a changed secret is not visible, by design. */
  variables: ({ key: string } & Pair<string>)[];
  /** Per cache key, its restore (before the script) and its save (after it) compared separately. */
  caches: ({ key: string; phase: 'restore' | 'save' } & Pair<CacheUse>)[];
  /** The job's log, timestamps and run-specific names ignored. */
  log: LogDiffLine[];
  /** The differences in plain sentences, most important first. */
  summary: string[];
}

export interface RunComparison {
  a: ComparedRun;
  b: ComparedRun;
  jobs: JobComparison[];
}

interface JobFacts {
  state?: string;
  exitCode?: number;
  stages: Partial<Record<StageName, number>>;
  images: Map<string, ImageUse>;
  variables: Map<string, string>;
  caches: Map<string, CacheUse>;
  log: string[];
}

interface RunFacts {
  run: ComparedRun;
  order: string[];
  jobs: Map<string, JobFacts>;
}

function factsOf(events: Iterable<RunEvent>): RunFacts {
  const facts: RunFacts = { run: { runId: '', status: 'running', startedAt: 0, projectPath: '' }, order: [], jobs: new Map() };
  const job = (name: string): JobFacts => {
    let found = facts.jobs.get(name);
    if (!found) {
      found = { stages: {}, images: new Map(), variables: new Map(), caches: new Map(), log: [] };
      facts.jobs.set(name, found);
      facts.order.push(name);
    }
    return found;
  };
  for (const event of events) {
    facts.run.runId = event.runId;
    switch (event.type) {
      case 'run':
        if (event.state === 'started') {
          facts.run = { ...facts.run, startedAt: event.time, projectPath: event.projectPath };
          for (const j of event.jobs) job(j.name);
        } else facts.run = { ...facts.run, status: event.status, durationMs: event.durationMs };
        break;
      case 'job': {
        const j = job(event.job);
        j.state = event.state;
        if (event.exitCode !== undefined) j.exitCode = event.exitCode;
        for (const v of event.variables ?? []) j.variables.set(v.key, v.masked ? '[MASKED]' : v.value);
        break;
      }
      case 'stage':
        if (event.state === 'finished' && event.durationMs !== undefined) job(event.job).stages[event.stage] = event.durationMs;
        break;
      case 'pull':
        // The last attempt is the one that decided.
        job(event.job).images.set(event.container, { image: event.normalized, digest: event.digest ?? event.imageId, decision: event.decision, policy: event.policy });
        break;
      case 'cache': {
        // A job reports each cache twice: once when restoring it, once when saving it.
        const caches = job(event.job).caches;
        const phase = caches.has(`${event.key}\u0000restore`) ? 'save' : 'restore';
        caches.set(`${event.key}\u0000${phase}`, { action: event.action, bytes: event.bytes, files: event.files });
        break;
      }
      case 'log':
        job(event.job).log.push(event.text);
        break;
      default:
        break;
    }
  }
  return facts;
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const CLOCK_TIME = /\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g;
const SECTION_MARK = /section_(start|end):\d+:/g;
const DURATION = /\b\d+(?:\.\d+)?\s?(?:ms|s|m)\b/g;
const RUN_ID = /\b\d{8}-\d{6}-[0-9a-z]{4,}\b/gi;
// Colours are not content, and `\e[32;1m` would otherwise read as a duration of 1m.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** A log line without colours, and with what differs every run (times, durations, run ids in Docker names) replaced. */
export function normalizeLogLine(line: string, runIds: readonly string[] = []): string {
  let text = line.replace(ANSI, '');
  for (const id of runIds) if (id) text = text.split(id).join('<run>').split(id.toLowerCase()).join('<run>');
  return text.replace(SECTION_MARK, 'section_$1:<time>:').replace(ISO_TIME, '<time>').replace(CLOCK_TIME, '<time>').replace(DURATION, '<duration>').replace(RUN_ID, '<run>');
}

/** Lines compared exactly beyond this many per side (after trimming the common start and end). */
const MAX_DIFF_LINES = 4000;
const CONTEXT = 3;

/** A line diff (longest common subsequence), with long unchanged runs folded away. */
export function diffLines(a: readonly string[], b: readonly string[]): LogDiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const lines: LogDiffLine[] = a.slice(0, start).map((text) => ({ op: 'same', text }));
  if (middleA.length > MAX_DIFF_LINES || middleB.length > MAX_DIFF_LINES) {
    for (const text of middleA) lines.push({ op: 'removed', text });
    for (const text of middleB) lines.push({ op: 'added', text });
  } else lines.push(...lcsDiff(middleA, middleB));
  for (const text of a.slice(endA)) lines.push({ op: 'same', text });
  return foldUnchanged(lines);
}

function lcsDiff(a: readonly string[], b: readonly string[]): LogDiffLine[] {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? (table[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const out: LogDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i] ?? '' });
      i++;
      j++;
    } else if ((table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0)) out.push({ op: 'removed', text: a[i++] ?? '' });
    else out.push({ op: 'added', text: b[j++] ?? '' });
  }
  while (i < a.length) out.push({ op: 'removed', text: a[i++] ?? '' });
  while (j < b.length) out.push({ op: 'added', text: b[j++] ?? '' });
  return out;
}

function foldUnchanged(lines: LogDiffLine[]): LogDiffLine[] {
  const changed = lines.map((line) => line.op !== 'same');
  const near = (index: number): boolean => {
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(lines.length - 1, index + CONTEXT); k++) if (changed[k]) return true;
    return false;
  };
  const out: LogDiffLine[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line) continue;
    if (line.op !== 'same' || near(index)) {
      out.push(line);
      continue;
    }
    const last = out[out.length - 1];
    if (last?.op === 'skipped') last.count++;
    else out.push({ op: 'skipped', count: 1 });
  }
  return out;
}

function pair<T>(a: T | undefined, b: T | undefined, same: (x: T, y: T) => boolean = (x, y) => x === y): Pair<T> {
  const changed = a === undefined || b === undefined ? a !== b : !same(a, b);
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), changed };
}

function keyedPairs<T>(a: Map<string, T>, b: Map<string, T>, same?: (x: T, y: T) => boolean): [string, Pair<T>][] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((key) => [key, pair(a.get(key), b.get(key), same)]);
}

const shortDigest = (digest: string | undefined): string => (digest ? digest.replace(/^sha256:/, '').slice(0, 12) : 'none');

function compareJob(name: string, a: JobFacts | undefined, b: JobFacts | undefined, runIds: string[]): JobComparison {
  const empty: JobFacts = { stages: {}, images: new Map(), variables: new Map(), caches: new Map(), log: [] };
  const left = a ?? empty;
  const right = b ?? empty;
  const images = keyedPairs(left.images, right.images, (x, y) => x.image === y.image && x.digest === y.digest).map(([container, p]) => ({ container, ...p }));
  const variables = keyedPairs(left.variables, right.variables).map(([key, p]) => ({ key, ...p }));
  const caches = keyedPairs(left.caches, right.caches, (x, y) => x.action === y.action && x.bytes === y.bytes && x.files === y.files).map(([id, p]) => {
    const [key = '', phase] = id.split('\u0000');
    return { key, phase: phase === 'save' ? ('save' as const) : ('restore' as const), ...p };
  });
  const comparison: JobComparison = {
    job: name,
    state: pair(left.state, right.state),
    exitCode: pair(left.exitCode, right.exitCode),
    stages: STAGE_NAMES.map((stage) => ({ stage, ...pair(left.stages[stage], right.stages[stage], () => true) })),
    images,
    variables,
    caches,
    log: diffLines(left.log.map((l) => normalizeLogLine(l, runIds)), right.log.map((l) => normalizeLogLine(l, runIds))),
    summary: [],
  };
  comparison.summary = summarize(comparison, !a, !b);
  return comparison;
}

function summarize(c: JobComparison, missingA: boolean, missingB: boolean): string[] {
  if (missingA) return ['only in the second run'];
  if (missingB) return ['only in the first run'];
  const out: string[] = [];
  if (c.state.changed) out.push(`status ${c.state.a ?? 'none'} → ${c.state.b ?? 'none'}`);
  if (c.exitCode.changed) out.push(`exit code ${c.exitCode.a ?? 'none'} → ${c.exitCode.b ?? 'none'}`);
  for (const image of c.images) {
    if (!image.changed) continue;
    if (image.a && image.b && image.a.image === image.b.image) out.push(`${image.container} image ${image.a.image}: digest ${shortDigest(image.a.digest)} → ${shortDigest(image.b.digest)}`);
    else out.push(`${image.container} image ${image.a?.image ?? 'none'} → ${image.b?.image ?? 'none'}`);
  }
  for (const v of c.variables) if (v.changed) out.push(v.a === undefined ? `variable ${v.key} added` : v.b === undefined ? `variable ${v.key} removed` : `variable ${v.key}: ${v.a} → ${v.b}`);
  for (const cache of c.caches) if (cache.changed) out.push(`cache ${cache.key} (${cache.phase}): ${cache.a?.action ?? 'none'}${cache.a?.bytes !== undefined ? ` (${cache.a.bytes} B)` : ''} → ${cache.b?.action ?? 'none'}${cache.b?.bytes !== undefined ? ` (${cache.b.bytes} B)` : ''}`);
  const changedLines = c.log.filter((l) => l.op === 'added' || l.op === 'removed').length;
  if (changedLines > 0) out.push(`log: ${changedLines} line${changedLines === 1 ? '' : 's'} differ`);
  return out;
}

/** Compares two runs' events; only `job` when given (it may be missing from one side). */
export function compareRunEvents(a: Iterable<RunEvent>, b: Iterable<RunEvent>, job?: string): RunComparison {
  const left = factsOf(a);
  const right = factsOf(b);
  const names = job ? [job] : [...new Set([...left.order, ...right.order])];
  const runIds = [left.run.runId, right.run.runId];
  return { a: left.run, b: right.run, jobs: names.map((name) => compareJob(name, left.jobs.get(name), right.jobs.get(name), runIds)) };
}
