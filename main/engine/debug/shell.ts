// `jobsim shell RUN/JOB[/SERVICE]`: finds the container to enter (a kept job's idle container, a running
// job's build container, or one of its services) and runs a shell or a command in it, with the run's
// secrets masked in the output. Every use restarts a kept job's idle timeout.

import { randomUUID } from 'node:crypto';
import type { ShellOutput, ShellSession, ShellTarget, TerminalSize } from '../../../shared/debug.js';
import { isRunId } from '../../../shared/wire.js';
import type { DockerHandle } from '../../docker/client.js';
import { findRunningContainers, inspectContainer, pickShell, startExec, type ContainerFacts } from '../../docker/exec-shell.js';
import { ensureRunning } from '../../docker/kept-containers.js';
import { LABELS } from '../../docker/resource-labels.js';
import { SERVICE_LABEL } from '../../docker/service-containers.js';
import { InputError } from '../../errors.js';
import { readRunEvents } from '../../history/index.js';
import { resolveStoredRun } from '../../history/stored-run.js';
import { keptIdleMs, readKeptJob, touchKeptJob, type KeptRecord } from './kept-store.js';
import { maskedOutput } from './shell-output.js';

export interface ResolvedShell {
  runId: string;
  job: string;
  service?: string;
  container: ContainerFacts;
  kept?: KeptRecord;
  /** Values to mask in the output. */
  secrets: string[];
}

/** A run id as typed, `last` resolved to the newest stored run. */
export async function resolveRunId(text: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (text === 'last') return resolveStoredRun('last', env);
  if (!isRunId(text)) throw new InputError(`not a run id: "${text}": \`jobsim runs\` lists them (or use \`last\`)`);
  return text;
}

/** The job names a stored run selected, from its first event (empty when the history has none). */
async function jobsOfRun(runId: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    for await (const event of readRunEvents(runId, env)) return event.type === 'run' && event.state === 'started' ? event.jobs.map((j) => j.name) : [];
  } catch {
    // no history for this run
  }
  return [];
}

/**
 * `RUN/JOB[/SERVICE]` as typed. Job and service names may hold `/` themselves: the longest job name of
 * the run that fits wins; without a history, the first `/` after RUN separates job and service.
 */
export async function parseShellTarget(text: string, env: NodeJS.ProcessEnv = process.env): Promise<ShellTarget> {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw new InputError(`expected RUN/JOB or RUN/JOB/SERVICE, got "${text}" (RUN may be \`last\`)`);
  const runId = await resolveRunId(text.slice(0, slash), env);
  const rest = text.slice(slash + 1);
  const jobs = (await jobsOfRun(runId, env)).sort((a, b) => b.length - a.length);
  const job = jobs.find((name) => rest === name || rest.startsWith(`${name}/`));
  if (job !== undefined) return rest === job ? { runId, job } : { runId, job, service: rest.slice(job.length + 1) };
  const split = rest.indexOf('/');
  return split < 0 ? { runId, job: rest } : { runId, job: rest.slice(0, split), service: rest.slice(split + 1) };
}

async function maskedNamesFromHistory(runId: string, job: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const names = new Set<string>();
  try {
    for await (const event of readRunEvents(runId, env)) {
      if (event.type === 'job' && event.job === job && event.variables) for (const v of event.variables) if (v.masked) names.add(v.key);
    }
  } catch {
    // no history: nothing known to mask
  }
  return [...names];
}

async function serviceContainer(docker: DockerHandle, runId: string, job: string, service: string): Promise<ContainerFacts> {
  const running = await findRunningContainers(docker, [`${LABELS.managed}=true`, `${LABELS.runId}=${runId}`, `${LABELS.job}=${job}`, `${LABELS.kind}=service`]);
  const facts = (await Promise.all(running.map((c) => inspectContainer(docker, c.id)))).filter((f): f is ContainerFacts => f !== undefined);
  const found = facts.find((f) => f.labels[SERVICE_LABEL] === service) ?? facts.find((f) => f.aliases.includes(service));
  if (found) return found;
  const names = facts.map((f) => f.labels[SERVICE_LABEL] ?? f.name);
  throw new InputError(
    names.length > 0
      ? `job "${job}" of run ${runId} has no running service "${service}": its services are ${names.map((n) => `"${n}"`).join(', ')} (or use one of their aliases)`
      : `job "${job}" of run ${runId} has no running services: it was not kept and is not running`,
  );
}

export async function resolveShellTarget(docker: DockerHandle, target: ShellTarget, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedShell> {
  if (!target.job) throw new InputError('which job? expected RUN/JOB');
  const runId = await resolveRunId(target.runId, env);
  const { job, service } = target;
  const kept = await readKeptJob(runId, job, env);
  let container: ContainerFacts | undefined;
  if (service !== undefined) {
    container = await serviceContainer(docker, runId, job, service);
  } else if (kept) {
    if (await ensureRunning(docker, kept.container)) container = await inspectContainer(docker, kept.container);
    if (!container) throw new InputError(`the kept container of job "${job}" (run ${runId}) is gone: \`jobsim kept done ${runId}/${job}\` removes the rest`);
  } else {
    const [live] = await findRunningContainers(docker, [`${LABELS.managed}=true`, `${LABELS.runId}=${runId}`, `${LABELS.job}=${job}`, `${LABELS.kind}=build`]);
    if (live) container = await inspectContainer(docker, live.id);
    if (!container) {
      throw new InputError(`job "${job}" of run ${runId} was not kept and is not running: rerun it with \`jobsim run --keep-on-failure\` (or \`jobsim rerun ${runId} ${job} --keep-on-failure\`)`);
    }
  }
  const names = kept?.maskedVariables ?? (await maskedNamesFromHistory(runId, job, env));
  // Services never receive secrets: their values come from the job's own container.
  const valuesFrom = kept && service !== undefined ? await inspectContainer(docker, kept.container) : container;
  const secrets = names.flatMap((name) => {
    const value = valuesFrom?.env.get(name) ?? container?.env.get(name);
    return value ? [value] : [];
  });
  return { runId, job, ...(service !== undefined ? { service } : {}), container, ...(kept ? { kept } : {}), secrets };
}

/** What an interactive shell prints first: where the user is, and for a kept job what failed. */
export function shellBanner(shell: ResolvedShell): string {
  const where = `job "${shell.job}" (run ${shell.runId})`;
  if (shell.service !== undefined) return `jobsim: a shell in service "${shell.service}" of ${where}. Exit the shell to leave.`;
  if (!shell.kept) return `jobsim: a shell in the running build container of ${where}. Exit the shell to leave.`;
  const failed = shell.kept.failedCommand ? ` at "${shell.kept.failedCommand}"` : '';
  const code = shell.kept.exitCode !== undefined ? ` with exit code ${shell.kept.exitCode}` : '';
  return (
    `jobsim: job "${shell.job}" failed${failed}${code}. You are in its container (run ${shell.runId}): its files, variables ` +
    `and network; services answer by their aliases. Exit the shell to leave; \`jobsim kept done ${shell.runId}/${shell.job}\` removes it.`
  );
}

export interface ShellOptions {
  /** Run this instead of an interactive shell: no TTY, no stdin. */
  command?: string[];
  env?: NodeJS.ProcessEnv;
  /** A command's stderr; without it, it goes with `data`. */
  onStderr?: (text: string) => void;
}

/** Opens a shell on an already resolved target (the CLI resolves first, to report bad input as such). */
export function startShell(docker: DockerHandle, shell: ResolvedShell, size: TerminalSize, onOutput: (output: ShellOutput) => void, options: ShellOptions = {}): ShellSession {
  return session(docker, () => Promise.resolve(shell), size, onOutput, options);
}

/**
 * Resolves the target and opens a shell in it; problems arrive as an `error` output. `docker` may still
 * be connecting (the API's openShell answers at once).
 */
export function openShellSession(docker: DockerHandle | Promise<DockerHandle>, target: ShellTarget, size: TerminalSize, onOutput: (output: ShellOutput) => void, options: ShellOptions = {}): ShellSession {
  return session(docker, (connected) => resolveShellTarget(connected, target, options.env), size, onOutput, options);
}

function session(
  dockerOrPending: DockerHandle | Promise<DockerHandle>,
  resolve: (docker: DockerHandle) => Promise<ResolvedShell>,
  size: TerminalSize,
  onOutput: (output: ShellOutput) => void,
  options: ShellOptions,
): ShellSession {
  const env = options.env ?? process.env;
  let exec: Awaited<ReturnType<typeof startExec>> | undefined;
  let closed = false;
  let currentSize = size;
  const pending: string[] = [];
  void (async () => {
    let keepAlive: NodeJS.Timeout | undefined;
    let shell: ResolvedShell | undefined;
    const touch = async (): Promise<void> => {
      if (shell?.kept) await touchKeptJob(shell.runId, shell.job, env).catch(() => undefined);
    };
    try {
      const docker = await dockerOrPending;
      shell = await resolve(docker);
      await touch();
      // A long session must not be reaped under the user's feet.
      if (shell.kept) keepAlive = setInterval(() => void touch(), Math.max(1000, Math.min(60_000, keptIdleMs(env) / 2))).unref();
      const interactive = options.command === undefined;
      const cmd = options.command ?? [await pickShell(docker, shell.container.id)];
      const workingDir = shell.container.env.get('CI_PROJECT_DIR');
      const out = maskedOutput(shell.secrets, (data) => onOutput({ kind: 'data', data }));
      const stderrSink = options.onStderr;
      const err = stderrSink ? maskedOutput(shell.secrets, stderrSink) : out;
      if (closed) return;
      onOutput({ kind: 'opened', shellId: randomUUID(), banner: interactive ? shellBanner(shell) : '', container: shell.container.name });
      exec = await startExec(docker, { container: shell.container.id, cmd, tty: interactive, ...(workingDir ? { workingDir } : {}), size: currentSize }, (data, stream) => (stream === 'stderr' ? err : out).push(data));
      if (closed) exec.close();
      for (const data of pending.splice(0)) exec.write(data);
      if (currentSize !== size) await exec.resize(currentSize);
      const code = await exec.exited;
      out.end();
      if (err !== out) err.end();
      onOutput({ kind: 'exit', code });
    } catch (error) {
      onOutput({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (keepAlive) clearInterval(keepAlive);
      await touch();
    }
  })();
  return {
    write(data) {
      if (exec) exec.write(data);
      else pending.push(data);
    },
    resize(next) {
      currentSize = next;
      if (exec) void exec.resize(next);
    },
    close() {
      closed = true;
      exec?.close();
    },
  };
}
