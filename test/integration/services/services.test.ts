import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServices } from '../../../main/engine/services/start.js';
import { waitForServices } from '../../../main/engine/services/wait.js';
import { preparedJob } from '../../../main/engine/job-run/job-context.js';
import type { ResolvedImage } from '../../../main/engine/contracts.js';
import type { ResourceEvent, ServiceEvent } from '../../../shared/events.js';
import type { JobPlan } from '../../../shared/plan.js';
import { HTTP_IMAGE, SHELL_IMAGE, ServiceFixture, jobPlan, resolveLocal, servicePlan, variable } from '../support/fixtures-services.js';

let fixture: ServiceFixture;

beforeAll(async () => {
  fixture = await ServiceFixture.create();
  await fixture.setUp();
});

afterAll(async () => {
  await fixture.cleanUp();
});

async function imagesFor(job: JobPlan): Promise<Map<string, ResolvedImage>> {
  const images = new Map<string, ResolvedImage>();
  for (const service of job.services) images.set(service.name, await resolveLocal(fixture.docker, service.image.ref.written));
  return images;
}

function serviceEvents(job: string): ServiceEvent[] {
  return fixture.events.filter((e): e is ServiceEvent => e.type === 'service' && e.job === job);
}

describe('services', () => {
  it('reaches a service by both derived aliases and a custom alias, after waiting for its exposed port', async () => {
    const job = jobPlan('alias-job', { services: [servicePlan(HTTP_IMAGE, { customAliases: ['web'] })] });
    const run = fixture.run();
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await waitForServices(ctx, started, images);
      for (const alias of ['jobsim-test__http', 'jobsim-test-http', 'web']) {
        const { exitCode, output } = await fixture.shell(`wget -qO- http://${alias}:8080/`);
        expect({ alias, exitCode, output: output.trim() }).toEqual({ alias, exitCode: 0, output: 'jobsim-http-ok' });
      }
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(fixture.logs()).toContain(`Starting service ${HTTP_IMAGE} ...`);
    expect(fixture.logs()).toContain('Waiting for services to be up and running (timeout 30 seconds)...');
    const states = serviceEvents('alias-job').map((e) => e.state);
    expect(states).toEqual(['starting', 'healthy']);
    const healthy = serviceEvents('alias-job')[1];
    expect(healthy?.ports).toEqual([8080]);
    expect(healthy?.aliases).toEqual(['jobsim-test__http', 'jobsim-test-http', 'web']);
    expect(healthy?.timeToHealthyMs).toBeGreaterThanOrEqual(0);
    const resources = fixture.events.filter((e): e is ResourceEvent => e.type === 'resource' && e.job === 'alias-job');
    expect(resources.map((r) => [r.action, r.role])).toEqual([
      ['created', `service:${HTTP_IMAGE}`],
      ['removed', `service:${HTTP_IMAGE}`],
    ]);
    expect(resources[0]?.detail?.network).toBe(fixture.network);
    const remaining = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ id: [resources[0]?.id ?? 'none'] }) });
    expect(remaining).toEqual([]);
    // The probe ran in the job image and was removed with the wait.
    const probes = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.jobsim.test=${fixture.label}`, 'dev.jobsim.kind=probe'] }) });
    expect(probes).toEqual([]);
  });

  it('gives a service the job’s non-secret variables and its own, never a masked one', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['envdump'],
      command: ['sh', '-c', 'env > /builds/service-env.txt; echo done > /builds/service-env.done; sleep 60'],
      variables: [variable('OWN_SETTING', 'from-service')],
    });
    const job = jobPlan('env-job', {
      services: [service],
      variables: [variable('PUBLIC_SETTING', 'visible'), variable('DEPLOY_TOKEN', 'sup3r-s3cret-value', true)],
    });
    const run = fixture.run({ secrets: ['sup3r-s3cret-value'] });
    const images = await imagesFor(job);
    const ctx = preparedJob(job, run, await fixture.workspace());
    const started = await startServices(ctx, images);
    try {
      const { output } = await fixture.shell('for i in $(seq 50); do [ -f /builds/service-env.done ] && break; sleep 0.2; done; cat /builds/service-env.txt');
      expect(output).toContain('PUBLIC_SETTING=visible');
      expect(output).toContain('OWN_SETTING=from-service');
      expect(output).not.toContain('sup3r-s3cret-value');
      expect(output).not.toContain('DEPLOY_TOKEN');
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    const starting = serviceEvents('env-job').find((e) => e.state === 'starting');
    expect(starting?.withheld).toEqual(['DEPLOY_TOKEN']);
    expect(starting?.variables).toEqual(expect.arrayContaining(['PUBLIC_SETTING', 'OWN_SETTING']));
    expect(starting?.variables).not.toContain('DEPLOY_TOKEN');
  });

  it('warns with the health error and the service log tail when a service never listens, and goes on', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['silent'],
      command: ['sh', '-c', 'echo service-said-hello; echo second-line >&2; sleep 60'],
      variables: [variable('HEALTHCHECK_TCP_PORT', '9999')],
    });
    const job = jobPlan('unhealthy-job', { services: [service] });
    const run = fixture.run({ waitTimeoutSec: 2 });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await expect(waitForServices(ctx, started, images)).resolves.toBeUndefined();
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    const logs = fixture.logs();
    const warning = logs.indexOf(`*** WARNING: Service ${SHELL_IMAGE} probably didn't start properly.`);
    expect(warning).toBeGreaterThan(-1);
    const block = logs.slice(warning, warning + 12);
    expect(block).toContain('Health check error:');
    expect(block.find((line) => line.includes(':9999'))).toBeDefined();
    expect(block).toContain('Service container logs:');
    expect(block).toEqual(expect.arrayContaining(['service-said-hello', 'second-line']));
    const unhealthy = serviceEvents('unhealthy-job').find((e) => e.state === 'unhealthy');
    expect(unhealthy?.ports).toEqual([9999]);
    expect(unhealthy?.detail).toContain('9999');
  });

  it('dials HEALTHCHECK_TCP_PORT instead of the exposed ports', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['custom-port'],
      command: ['sh', '-c', 'mkdir -p /tmp/www && echo on-9090 > /tmp/www/index.html && httpd -f -p 9090 -h /tmp/www'],
      variables: [variable('HEALTHCHECK_TCP_PORT', '9090')],
    });
    const job = jobPlan('port-job', { services: [service] });
    const run = fixture.run({ waitTimeoutSec: 20 });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await waitForServices(ctx, started, images);
      const { output } = await fixture.shell('wget -qO- http://custom-port:9090/');
      expect(output.trim()).toBe('on-9090');
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    const healthy = serviceEvents('port-job').find((e) => e.state === 'healthy');
    expect(healthy?.ports).toEqual([9090]);
  });

  it('reports no-ports for a service with nothing to dial, without warning', async () => {
    const service = servicePlan(SHELL_IMAGE, { customAliases: ['portless'], command: ['sleep', '60'] });
    const job = jobPlan('noports-job', { services: [service] });
    const run = fixture.run({ waitTimeoutSec: 5 });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const before = fixture.logs().length;
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await waitForServices(ctx, started, images);
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(serviceEvents('noports-job').map((e) => e.state)).toEqual(['starting', 'no-ports']);
    expect(fixture.logs().slice(before).filter((line) => line.includes('probably didn'))).toEqual([]);
  });

  it('reports a service that exits during the wait with its exit code and log tail', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['crasher'],
      command: ['sh', '-c', 'echo crashing-now; exit 3'],
      variables: [variable('HEALTHCHECK_TCP_PORT', '5432')],
    });
    const job = jobPlan('exit-job', { services: [service] });
    const run = fixture.run({ waitTimeoutSec: 30 });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await waitForServices(ctx, started, images);
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    const exited = serviceEvents('exit-job').find((e) => e.state === 'exited');
    expect(exited?.detail).toBe('service container exited with code 3');
    expect(fixture.logs()).toContain('crashing-now');
  });

  it('skips the wait entirely when wait_for_services_timeout is -1', async () => {
    const job = jobPlan('nowait-job', { services: [servicePlan(HTTP_IMAGE, { customAliases: ['nowait'] })] });
    const run = fixture.run({ waitTimeoutSec: -1 });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const before = fixture.logs().length;
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      await waitForServices(ctx, started, images);
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(fixture.logs().slice(before).filter((line) => line.startsWith('Waiting for services'))).toEqual([]);
    expect(serviceEvents('nowait-job').map((e) => e.state)).toEqual(['starting']);
  });

  it('stops waiting on cancel without warning', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['never-listens'],
      command: ['sleep', '60'],
      variables: [variable('HEALTHCHECK_TCP_PORT', '9998')],
    });
    const job = jobPlan('cancel-job', { services: [service] });
    const cancel = new AbortController();
    const run = fixture.run({ waitTimeoutSec: 60, signal: cancel.signal });
    const images = await imagesFor(job);
    const workspace = await fixture.workspace();
    const before = fixture.logs().length;
    const ctx = preparedJob(job, run, workspace);
    const started = await startServices(ctx, images);
    try {
      setTimeout(() => cancel.abort(), 1000);
      await waitForServices(ctx, started, images);
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(serviceEvents('cancel-job').map((e) => e.state)).toEqual(['starting']);
    expect(fixture.logs().slice(before).filter((line) => line.includes('probably didn'))).toEqual([]);
  });

  it('skips an alias an earlier service already holds, like the runner', async () => {
    const first = servicePlan(HTTP_IMAGE, { customAliases: ['shared'] });
    const second = servicePlan(SHELL_IMAGE, { customAliases: ['shared', 'second'], command: ['sleep', '60'] });
    const job = jobPlan('dup-job', { services: [first, second] });
    const run = fixture.run({ waitTimeoutSec: 10 });
    const images = await imagesFor(job);
    const ctx = preparedJob(job, run, await fixture.workspace());
    const started = await startServices(ctx, images);
    try {
      expect(started.services.map((s) => s.aliases)).toEqual([
        ['jobsim-test__http', 'jobsim-test-http', 'shared'],
        ['jobsim-test__shell', 'jobsim-test-shell', 'second'],
      ]);
      const { output } = await fixture.shell('wget -qO- http://shared:8080/');
      expect(output.trim()).toBe('jobsim-http-ok');
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(fixture.logs()).toContain(`Skipping alias "shared" for service ${SHELL_IMAGE}: alias is already in use by another service.`);
  });

  it('streams service output into the job log with CI_DEBUG_SERVICES=true', async () => {
    const service = servicePlan(SHELL_IMAGE, {
      customAliases: ['chatty'],
      command: ['sh', '-c', 'echo chatty-out; echo chatty-err >&2; sleep 60'],
    });
    const job = jobPlan('debug-job', { services: [service], variables: [variable('CI_DEBUG_SERVICES', 'true')] });
    const run = fixture.run();
    const ctx = preparedJob(job, run, await fixture.workspace());
    const started = await startServices(ctx, await imagesFor(job));
    const serviceLines = (): [string, string | undefined, string][] =>
      fixture.events.flatMap((e) => (e.type === 'log' && e.job === 'debug-job' && e.source === 'service' ? [[e.stream, e.service, e.text] as [string, string | undefined, string]] : []));
    try {
      for (let i = 0; i < 50 && serviceLines().length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      started.stopLogs();
      await ctx.objects.removeAll();
    }
    expect(serviceLines()).toEqual(
      expect.arrayContaining([
        ['stdout', SHELL_IMAGE, 'chatty-out'],
        ['stderr', SHELL_IMAGE, 'chatty-err'],
      ]),
    );
  });

  it('fails with Docker’s reason when a service cannot start, and removes the services that did', async () => {
    const good = servicePlan(HTTP_IMAGE, { customAliases: ['fine'] });
    const broken = servicePlan(SHELL_IMAGE, { customAliases: ['broken'] });
    const job = jobPlan('broken-job', { services: [good, broken] });
    const run = fixture.run();
    const images = await imagesFor(job);
    // The image vanished between resolving and starting (e.g. removed by `docker image prune`).
    images.set(SHELL_IMAGE, { imageId: `sha256:${'0'.repeat(64)}`, entrypoint: null, cmd: null, exposedTcpPorts: [] });
    await expect(startServices(preparedJob(job, run, await fixture.workspace()), images)).rejects.toThrow(
      new RegExp(`^service ${SHELL_IMAGE} could not be started: .*[Nn]o such image`),
    );
    const resources = fixture.events.filter((e): e is ResourceEvent => e.type === 'resource' && e.job === 'broken-job');
    expect(resources.map((r) => [r.action, r.role])).toEqual([
      ['created', `service:${HTTP_IMAGE}`],
      ['removed', `service:${HTTP_IMAGE}`],
    ]);
    const left = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.jobsim.test=${fixture.label}`, 'dev.jobsim.kind=service'] }) });
    expect(left).toEqual([]);
  });
});
