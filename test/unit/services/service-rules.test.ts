import { describe, expect, it } from 'vitest';
import { healthCheckPorts } from '../../../main/engine/services/wait.js';
import { serviceEnvironment } from '../../../main/engine/services/start.js';
import { serviceImageLabel } from '../../../main/engine/services/image-label.js';
import type { ResolvedImage } from '../../../main/engine/contracts.js';
import type { JobPlan, ServicePlan, Variable } from '../../../shared/plan.js';

const v = (key: string, value: string, masked = false): Variable => ({ key, value, masked, source: masked ? 'secret' : 'job' });
const job = (variables: Variable[]): JobPlan => ({ variables }) as JobPlan;
const service = (variables: Variable[]): ServicePlan => ({ name: 'db', variables }) as ServicePlan;
const image = (exposedTcpPorts: number[]): ResolvedImage => ({ imageId: 'sha256:x', entrypoint: null, cmd: null, exposedTcpPorts });

describe('health check ports', () => {
  it('uses the exposed TCP ports, lowest first, at most 20', () => {
    const many = Array.from({ length: 25 }, (_, i) => 9000 - i);
    const { ports } = healthCheckPorts(job([]), service([]), image(many));
    expect(ports).toHaveLength(20);
    expect(ports[0]).toBe(8976);
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
  });

  it('lets HEALTHCHECK_TCP_PORT override them, the service’s own value first', () => {
    expect(healthCheckPorts(job([v('HEALTHCHECK_TCP_PORT', '5432')]), service([]), image([80]))).toEqual({ ports: [5432] });
    expect(healthCheckPorts(job([v('HEALTHCHECK_TCP_PORT', '5432')]), service([v('HEALTHCHECK_TCP_PORT', '6379')]), image([80]))).toEqual({ ports: [6379] });
  });

  it('ignores a masked override (the service never receives it)', () => {
    expect(healthCheckPorts(job([v('HEALTHCHECK_TCP_PORT', '5432', true)]), service([]), image([80]))).toEqual({ ports: [80] });
  });

  it('reports an override that is not a port and falls back to the exposed ports', () => {
    for (const bad of ['http', '0', '70000', '80/tcp', '']) {
      expect(healthCheckPorts(job([]), service([v('HEALTHCHECK_TCP_PORT', bad)]), image([80]))).toEqual({ ports: [80], invalidOverride: bad });
    }
  });

  it('has nothing to dial without exposed ports or override', () => {
    expect(healthCheckPorts(job([]), service([]), image([]))).toEqual({ ports: [] });
  });
});

describe('service environment', () => {
  it('passes non-secret job variables and the service’s own, withholding every secret', () => {
    const env = serviceEnvironment(job([v('A', '1'), v('TOKEN', 's3cret', true), v('B', 'job')]), service([v('B', 'service'), v('OWN_SECRET', 'x', true)]));
    expect(env.env).toEqual(['A=1', 'B=service']);
    expect(env.names).toEqual(['A', 'B']);
    expect(env.withheld.sort()).toEqual(['OWN_SECRET', 'TOKEN']);
  });

  it('a service variable shadowing a secret key replaces it with the service’s public value', () => {
    const env = serviceEnvironment(job([v('PASSWORD', 'job-secret', true)]), service([v('PASSWORD', 'service-value')]));
    expect(env.env).toEqual(['PASSWORD=service-value']);
    expect(env.withheld).toEqual([]);
  });
});

describe('the image label in `Starting service …`', () => {
  const withRef = (written: string, tag?: string, digest?: string): ServicePlan =>
    ({ image: { ref: { written, tag, digest, isImageId: false } } }) as unknown as ServicePlan;

  it('prints name:tag like the runner, adding latest when no tag was written', () => {
    expect(serviceImageLabel(withRef('postgres', 'latest'))).toBe('postgres:latest');
    expect(serviceImageLabel(withRef('postgres:16', '16'))).toBe('postgres:16');
    expect(serviceImageLabel(withRef('127.0.0.1:5000/team/db', 'latest'))).toBe('127.0.0.1:5000/team/db:latest');
    expect(serviceImageLabel(withRef('127.0.0.1:5000/team/db:2', '2'))).toBe('127.0.0.1:5000/team/db:2');
  });

  it('keeps a digest reference as written', () => {
    const written = `redis@sha256:${'a'.repeat(64)}`;
    expect(serviceImageLabel(withRef(written, undefined, `sha256:${'a'.repeat(64)}`))).toBe(written);
  });
});
