// How long jobsim waits for the Docker engine to answer one API call, by kind of call. A frozen engine (a
// stopped dockerd, a suspended VM) accepts connections and never answers: without a budget every call
// would wait forever. Calls that wait for the job itself (attach, wait, followed logs, events, exec) have
// no budget; while a job runs, the engine watchdog covers them (main/engine/engine-watchdog.ts).
// Pure: the table is unit tested; engine-health.ts applies it to every request.

export type CallKind = 'ping' | 'read' | 'create' | 'change' | 'stop' | 'remove' | 'transfer' | 'long' | 'watched';

export interface CallBudget {
  kind: CallKind;
  /** How long the engine has to answer; undefined: no limit of its own (the watchdog covers it). */
  ms?: number;
  /** The limit applies to each silence, not the whole call: every chunk of a stream counts as an answer. */
  idle?: boolean;
}

export const BUDGET_MS = {
  ping: 5_000,
  read: 15_000,
  create: 30_000,
  change: 60_000,
  /** Added to the stop's own grace period. */
  stopMargin: 30_000,
  remove: 60_000,
  /** A pull or an archive may pause between chunks (extracting a large layer), not for minutes. */
  transferIdle: 120_000,
  long: 10 * 60_000,
} as const;

export interface DialCall {
  method: string;
  /** The request path as dockerode builds it, before the API version prefix; may end in `?`. */
  path: string;
  /** The query / body options dockerode passes along (`t` of a stop, `follow` of logs). */
  options?: Record<string, unknown>;
  /** Whether dockerode hands back a stream or a hijacked socket instead of a parsed answer. */
  isStream?: boolean;
  hijack?: boolean;
}

const ID = '[^/?]+';
const rule = (method: string, path: string): { method: string; path: RegExp } => ({ method, path: new RegExp(`^${path}$`) });

const WATCHED = [
  rule('POST', `/containers/${ID}/attach`),
  rule('POST', `/containers/${ID}/wait`),
  rule('GET', '/events'),
  rule('POST', `/exec/${ID}/start`),
  rule('POST', `/exec/${ID}/resize`),
];
const TRANSFERS = [
  rule('POST', '/images/create'),
  rule('POST', '/build'),
  rule('POST', `/images/.+/push`),
  rule('GET', '/images/get'),
  rule('GET', `/images/.+/get`),
  rule('GET', `/containers/${ID}/archive`),
  rule('GET', `/containers/${ID}/export`),
];
const LONG = [rule('PUT', `/containers/${ID}/archive`), rule('POST', '/images/load'), rule('POST', '/commit'), rule('POST', `/${ID}/prune`)];
const CREATES = [rule('POST', '/containers/create'), rule('POST', '/networks/create'), rule('POST', '/volumes/create'), rule('POST', `/containers/${ID}/exec`)];

const matches = (rules: { method: string; path: RegExp }[], method: string, path: string): boolean =>
  rules.some((r) => r.method === method && r.path.test(path));

export function budgetFor(call: DialCall): CallBudget {
  const method = call.method.toUpperCase();
  const path = call.path.split('?')[0] ?? '';
  if ((method === 'GET' || method === 'HEAD') && (path === '/_ping' || path === '/version')) return { kind: 'ping', ms: BUDGET_MS.ping };
  if (matches(WATCHED, method, path)) return { kind: 'watched' };
  if (method === 'GET' && /^\/containers\/[^/]+\/(logs|stats)$/.test(path)) {
    const streaming = path.endsWith('/stats') ? call.options?.stream !== false : call.options?.follow === true;
    return streaming ? { kind: 'watched' } : { kind: 'read', ms: BUDGET_MS.read };
  }
  if (matches(TRANSFERS, method, path)) return { kind: 'transfer', ms: BUDGET_MS.transferIdle, idle: true };
  if (matches(LONG, method, path)) return { kind: 'long', ms: BUDGET_MS.long };
  if (method === 'POST' && /^\/containers\/[^/]+\/(stop|restart)$/.test(path)) {
    const grace = Number(call.options?.t);
    return { kind: 'stop', ms: (Number.isFinite(grace) && grace >= 0 ? grace * 1000 : 10_000) + BUDGET_MS.stopMargin };
  }
  if (method === 'DELETE') return { kind: 'remove', ms: BUDGET_MS.remove };
  if (method === 'GET' || method === 'HEAD') return { kind: 'read', ms: BUDGET_MS.read };
  if (matches(CREATES, method, path)) return { kind: 'create', ms: BUDGET_MS.create };
  return { kind: 'change', ms: BUDGET_MS.change };
}

/** "POST /containers/create", for messages (no query, no ids longer than needed). */
export function describeCall(call: DialCall): string {
  const path = (call.path.split('?')[0] ?? '').replace(/[0-9a-f]{64}/g, (id) => id.slice(0, 12));
  return `${call.method.toUpperCase()} ${path}`;
}
