// Prepare stage, part 2: wait for each service to accept TCP connections, the way GitLab Runner does:
// the exposed TCP ports (lowest first, up to 20) or HEALTHCHECK_TCP_PORT, dialled from inside the job's
// network until wait_for_services_timeout. A service that does not come up only produces a warning.
// Why a probe container from the job's own image (and the host-dial fallback): docs/services.md.

import type { ServiceState } from '../../../shared/events.js';
import type { JobPlan, ServicePlan } from '../../../shared/plan.js';
import { probeFromJobImage } from '../../docker/probe.js';
import { LABELS, type ResourceKindLabel } from '../../docker/resource-labels.js';
import { SERVICE_LABEL, containerLogTail, engineMayShareHostNetwork, serviceStatus } from '../../docker/service-containers.js';
import type { PreparedJob, ResolvedImage, RunContext } from '../contracts.js';
import { HELPER_ROLE_PREFIX } from '../../../shared/events.js';
import type { StartedService, StartedServices } from './start.js';
import { runnerLine } from '../job-run/job-log.js';
import { dialUntilConnected, hostRoutes, type DialResult } from './tcp-dial.js';

const MAX_PORTS = 20;
const LOG_TAIL_LINES = 50;
const EXIT_POLL_MS = 1000;

/** The ports to dial: HEALTHCHECK_TCP_PORT when the service gets it, else the image's exposed TCP ports. */
export function healthCheckPorts(job: JobPlan, service: ServicePlan, image: ResolvedImage | undefined): { ports: number[]; invalidOverride?: string } {
  const override =
    service.variables.find((v) => v.key === 'HEALTHCHECK_TCP_PORT' && !v.masked) ??
    job.variables.find((v) => v.key === 'HEALTHCHECK_TCP_PORT' && !v.masked);
  const exposed = [...(image?.exposedTcpPorts ?? [])].sort((a, b) => a - b).slice(0, MAX_PORTS);
  if (!override) return { ports: exposed };
  const text = override.value.trim();
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(port) && port > 0 && port < 65536) return { ports: [port] };
  return { ports: exposed, invalidOverride: override.value };
}

type WaitEnd = { kind: 'timeout' } | { kind: 'canceled' } | { kind: 'exited'; exitCode: number };

/** Resolves when the deadline passes, the run is canceled or the service container stops. */
function watchForEnd(run: RunContext, containerId: string, network: string, deadline: number): { ended: Promise<WaitEnd>; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  let onAbort: (() => void) | undefined;
  const ended = new Promise<WaitEnd>((resolve) => {
    onAbort = () => resolve({ kind: 'canceled' });
    if (run.signal.aborted) return resolve({ kind: 'canceled' });
    run.signal.addEventListener('abort', onAbort, { once: true });
    const tick = async (): Promise<void> => {
      if (disposed) return;
      if (Date.now() >= deadline) return resolve({ kind: 'timeout' });
      const status = await serviceStatus(run.docker, containerId, network).catch(() => undefined);
      if (status && !status.running) return resolve({ kind: 'exited', exitCode: status.exitCode ?? -1 });
      timer = setTimeout(() => void tick(), Math.min(EXIT_POLL_MS, Math.max(0, deadline - Date.now())));
    };
    void tick();
  });
  return {
    ended,
    dispose: () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (onAbort) run.signal.removeEventListener('abort', onAbort);
    },
  };
}

async function warnNotStarted(run: RunContext, job: JobPlan, service: StartedService, error: string): Promise<void> {
  const tail = await containerLogTail(run.docker, service.containerId, LOG_TAIL_LINES);
  const lines = [
    `*** WARNING: Service ${service.name} probably didn't start properly.`,
    '',
    'Health check error:',
    error,
    '',
    'Service container logs:',
    ...tail,
    '',
    '*********',
  ];
  for (const line of lines) runnerLine(run, job.name, line);
}

/**
 * Dials from the host when it routes to the job network (fast: no container), else from a probe container
 * of the job's image on the network; the host dial is also the fallback when the job image cannot probe.
 */
async function dialService(ctx: PreparedJob, service: StartedService, ip: string | undefined, ports: number[], stop: Promise<void>): Promise<DialResult> {
  const { run, workspace, objects } = ctx;
  const network = workspace.network;
  if (ip && engineMayShareHostNetwork(run.docker)) {
    const route = await hostRoutes(ip, ports);
    if (route.kind === 'connected') return route;
    if (route.kind === 'routable') return dialUntilConnected(ip, ports, stop);
  }
  const name = objects.name(`svc-${service.aliases[0] ?? service.name}-wait`, { unique: true });
  const probed = await probeFromJobImage(run.docker, {
    imageId: workspace.image.imageId,
    network,
    host: ip ?? service.aliases[0] ?? service.name,
    ports,
    labels: { ...workspace.labels, [LABELS.kind]: 'probe' satisfies ResourceKindLabel, [SERVICE_LABEL]: service.name },
    name,
    stop,
    report: objects.shortLived('container', name, `${HELPER_ROLE_PREFIX}service-wait:${service.name}`),
  });
  if (probed.kind !== 'unavailable') return probed;
  if (!ip) return { kind: 'stopped', error: probed.reason };
  return dialUntilConnected(ip, ports, stop);
}

async function waitForOne(ctx: PreparedJob, service: StartedService, plan: ServicePlan, image: ResolvedImage | undefined, timeoutSec: number): Promise<void> {
  const { job, run } = ctx;
  const network = ctx.workspace.network;
  const { ports, invalidOverride } = healthCheckPorts(job, plan, image);
  if (invalidOverride !== undefined) {
    runnerLine(run, job.name, `WARNING: Service ${service.name}: HEALTHCHECK_TCP_PORT "${invalidOverride}" is not a TCP port; checking the image's exposed ports instead`);
  }
  const emit = (state: ServiceState, extra: { timeToHealthyMs?: number; detail?: string } = {}): void =>
    run.emit({ type: 'service', job: job.name, name: service.name, image: service.image, aliases: service.aliases, state, network, ports, ...extra });
  if (ports.length === 0) {
    emit('no-ports', { detail: 'the image exposes no TCP port and HEALTHCHECK_TCP_PORT is not set' });
    return;
  }
  const watch = watchForEnd(run, service.containerId, network, Date.now() + timeoutSec * 1000);
  try {
    const stop = watch.ended.then(() => undefined);
    const status = await serviceStatus(run.docker, service.containerId, network).catch(() => undefined);
    const result = await dialService(ctx, service, status?.ip, ports, stop);
    if (result.kind === 'connected') {
      emit('healthy', { timeToHealthyMs: Date.now() - service.startedAt });
      return;
    }
    const end = await watch.ended;
    if (end.kind === 'canceled') return;
    if (end.kind === 'exited') {
      const detail = `service container exited with code ${end.exitCode}`;
      await warnNotStarted(run, job, service, detail);
      emit('exited', { detail });
      return;
    }
    await warnNotStarted(run, job, service, `service "${service.name}" timeout: ${result.error}`);
    emit('unhealthy', { detail: result.error });
  } finally {
    watch.dispose();
  }
}

export async function waitForServices(ctx: PreparedJob, started: StartedServices, images: Map<string, ResolvedImage>): Promise<void> {
  const { job, run } = ctx;
  const network = ctx.workspace.network;
  const timeoutSec = run.plan.runner.waitForServicesTimeoutSec;
  if (started.services.length === 0 || timeoutSec < 0) return;
  runnerLine(run, job.name, `Waiting for services to be up and running (timeout ${timeoutSec} seconds)...`);
  await Promise.all(
    started.services.map(async (service) => {
      const plan = job.services.find((s) => s.name === service.name);
      if (!plan) return;
      try {
        await waitForOne(ctx, service, plan, images.get(service.name), timeoutSec);
      } catch (error) {
        // The wait only ever warns: a failure of the probe itself must not fail the job.
        const detail = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
        await warnNotStarted(run, job, service, detail);
        run.emit({ type: 'service', job: job.name, name: service.name, image: service.image, aliases: service.aliases, state: 'unhealthy', network, detail });
      }
    }),
  );
}
