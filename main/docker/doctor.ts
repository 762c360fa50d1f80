// `jobsim doctor`: which engine jobsim would use and why, whether it answers, and what to do if not.
// Never throws for an unusable environment: that is exactly what it reports.

import type { DoctorReport } from '../../shared/api.js';
import { EnvironmentError } from '../errors.js';
import { connectDocker, DOCTOR_HINT, endpointInputs, reportedEndpoint, type ConnectOptions } from './client.js';
import { EndpointError, resolveEndpoint } from './endpoint.js';
import { formatSighting, otherEngines } from './engine-sightings.js';

export async function diagnoseDocker(options: ConnectOptions = {}): Promise<DoctorReport> {
  const inputs = endpointInputs(options);
  const report = await diagnoseChosen(options);
  const others = await otherEngines(inputs, report.endpoint.address);
  return others.length > 0 ? { ...report, others } : report;
}

async function diagnoseChosen(options: ConnectOptions): Promise<DoctorReport> {
  let endpoint: DoctorReport['endpoint'];
  try {
    endpoint = reportedEndpoint(resolveEndpoint(endpointInputs(options)));
  } catch (error) {
    if (error instanceof EndpointError) return { endpoint: error.endpoint, reachable: false, error: error.message, advice: error.advice };
    throw error;
  }
  try {
    const { docker, engine, endpoint: used } = await connectDocker(options);
    const report: DoctorReport = { endpoint: used, reachable: true, kind: engine.kind, version: engine.version, apiVersion: engine.apiVersion, os: engine.os };
    try {
      // The distribution name ("Debian GNU/Linux 12 (bookworm)", "Docker Desktop") helps more than "linux".
      const info = await docker.info();
      if (typeof info.OperatingSystem === 'string' && info.OperatingSystem) report.os = `${info.OperatingSystem} (${engine.os})`;
    } catch {
      // /version answered; a failing /info does not make the engine unusable.
    }
    return report;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      return { endpoint, reachable: false, error: error.message, advice: error.advice?.replace(DOCTOR_HINT, '') };
    }
    throw error;
  }
}

const SOURCE_TEXT: Record<DoctorReport['endpoint']['source'], string> = {
  option: 'from --engine',
  DOCKER_HOST: 'from DOCKER_HOST',
  context: 'from the current Docker context',
  default: 'the default socket (no DOCKER_HOST, no Docker context)',
  podman: 'a Podman socket (no DOCKER_HOST, no Docker context, nothing at the default socket)',
};

/** The report as the CLI prints it; `trail` lists the settings looked at (endpointTrail). */
export function formatDoctorReport(report: DoctorReport, trail: readonly string[] = []): string {
  const { endpoint } = report;
  const lines = [
    ...trail.map((step, index) => `${index === 0 ? 'looked at:  ' : '            '} ${step}`),
    `engine:      ${endpoint.address || '(none)'}`,
    `chosen:      ${SOURCE_TEXT[endpoint.source]}${endpoint.context ? ` "${endpoint.context}"` : ''}`,
  ];
  if (report.reachable) {
    lines.push('answers:     yes');
    lines.push(`version:     ${report.kind === 'podman' ? 'Podman' : 'Docker'} ${report.version ?? '?'}, API ${report.apiVersion ?? '?'} (negotiated)`);
    if (report.os) lines.push(`os:          ${report.os}`);
  } else {
    lines.push(`answers:     no — ${report.error ?? 'unknown error'}`);
    if (report.advice) lines.push(`what to do:  ${report.advice}`);
  }
  (report.others ?? []).forEach((other, index) => lines.push(`${index === 0 ? 'also here:  ' : '            '} ${formatSighting(other)}`));
  return `${lines.join('\n')}\n`;
}
