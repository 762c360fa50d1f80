import { describe, expect, it } from 'vitest';
import type { KeptEvent, ResourceEvent, ServiceEvent } from '../../shared/events.js';
import type { JobView } from '../../renderer/src/state/run-model.js';
import { buildIsolationModel } from '../../renderer/src/views/isolation/isolation-model.js';

type ResourceInput = Omit<ResourceEvent, 'type' | 'runId' | 'time'>;
let time = 1_000;
const resource = (input: ResourceInput): ResourceEvent => ({ type: 'resource', runId: 'r1', time: (time += 10), ...input });

const jobNetwork = (job: string, action: ResourceEvent['action'] = 'created') => resource({ job, kind: 'network', action, id: `${job}-net-id`, name: `${job}-net`, role: 'network' });
const buildsVolume = (job: string, action: ResourceEvent['action'] = 'created') => resource({ job, kind: 'volume', action, id: `${job}-builds`, name: `${job}-builds`, role: 'builds' });
const buildContainer = (job: string, extra: ResourceEvent['detail'] = {}) =>
  resource({
    job,
    kind: 'container',
    action: 'created',
    id: `${job}-build-id`,
    name: `${job}-build`,
    role: 'build',
    detail: { network: `${job}-net`, aliases: ['build'], image: 'alpine:3', mounts: [{ source: `${job}-builds`, target: '/builds', readOnly: false, type: 'volume' }], ...extra },
  });

function facts(services: Record<string, ServiceEvent> = {}, kept?: KeptEvent): Pick<JobView, 'services' | 'kept'> {
  return { services, kept };
}

describe('buildIsolationModel', () => {
  it('puts containers on their job network, build first, with the service health', () => {
    const service = resource({ job: 'test', kind: 'container', action: 'created', id: 'svc-id', name: 'test-svc', role: 'service:postgres:16', detail: { network: 'test-net', aliases: ['postgres', 'db'], image: 'postgres:16', mounts: [] } });
    const health: ServiceEvent = { type: 'service', runId: 'r1', time: 5, job: 'test', name: 'postgres:16', image: 'postgres:16', aliases: ['postgres', 'db'], state: 'healthy' };
    const model = buildIsolationModel([jobNetwork('test'), buildsVolume('test'), service, buildContainer('test')], { test: facts({ 'postgres:16': health }) });
    expect(model.networks).toHaveLength(1);
    expect(model.networks[0]?.containers.map((c) => [c.label, c.health, c.state])).toEqual([
      ['build', undefined, 'live'],
      ['postgres:16', 'healthy', 'live'],
    ]);
    expect(model.reach[0]).toBe('On network test-net (job test), build, postgres:16 can resolve and reach each other by the names "build", "postgres", "db".');
  });

  it('marks removed objects and keeps them in the model', () => {
    const removeBuild = resource({ job: 'a', kind: 'container', action: 'removed', id: 'a-build-id', name: 'a-build', role: 'build' });
    const model = buildIsolationModel([jobNetwork('a'), buildsVolume('a'), buildContainer('a'), removeBuild, jobNetwork('a', 'removed'), buildsVolume('a', 'removed')], {});
    const container = model.networks[0]?.containers[0];
    expect(container?.state).toBe('removed');
    // The removal event has no detail: what the creation said is kept.
    expect(container?.mounts).toEqual([{ source: 'a-builds', target: '/builds', readOnly: false, type: 'volume' }]);
    expect(model.networks[0]?.state).toBe('removed');
    expect(model.volumes[0]).toMatchObject({ name: 'a-builds', state: 'removed', mountedBy: [{ label: 'build', target: '/builds', readOnly: false }] });
  });

  it('places an after_script container (reported without a network) on its job network', () => {
    const after = resource({ job: 'a', kind: 'container', action: 'created', id: 'after-id', name: 'a-after', role: 'after-script' });
    const model = buildIsolationModel([jobNetwork('a'), buildContainer('a'), after], {});
    expect(model.networks[0]?.containers.map((c) => c.label)).toEqual(['build', 'after-script']);
    expect(model.detached).toEqual([]);
  });

  it('says separate jobs cannot reach each other, and names volumes they share', () => {
    const shared = { source: 'runner-data', target: '/data', readOnly: true, type: 'volume' as const };
    const model = buildIsolationModel(
      [jobNetwork('a'), buildContainer('a', { mounts: [shared] }), jobNetwork('b'), buildContainer('b', { mounts: [shared] }), resource({ job: 'b', kind: 'volume', action: 'kept', id: 'runner-data', name: 'runner-data', role: 'runner-volume' })],
      {},
    );
    expect(model.reach).toContain('Jobs a, b each have their own network: a container of one job cannot resolve or reach the containers of another, even while both run.');
    expect(model.reach).toContain('Volume runner-data is mounted by build across jobs a, b: they share files through it, whatever the network.');
    expect(model.volumes.find((v) => v.name === 'runner-data')).toMatchObject({ state: 'kept', role: 'runner-volume' });
    expect(model.volumes.find((v) => v.name === 'runner-data')?.mountedBy.every((m) => m.readOnly)).toBe(true);
  });

  it('flags the Docker socket from the mounts when the detail does not say', () => {
    const model = buildIsolationModel([jobNetwork('a'), buildContainer('a', { dockerSocket: undefined, mounts: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, type: 'bind' }] })], {});
    expect(model.networks[0]?.containers[0]?.dockerSocket).toBe(true);
    expect(model.volumes).toEqual([]);
  });

  it('badges the containers and network of a job kept for a shell', () => {
    const kept: KeptEvent = { type: 'kept', runId: 'r1', time: 9, job: 'a', container: 'a-build', network: 'a-net', services: [], expiresAt: 99 };
    const model = buildIsolationModel([jobNetwork('a'), buildContainer('a')], { a: facts({}, kept) });
    expect(model.networks[0]?.state).toBe('kept');
    expect(model.networks[0]?.containers[0]?.state).toBe('kept');
  });
});
