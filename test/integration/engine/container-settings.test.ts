// How the build container is created: the image's ENTRYPOINT kept, overridden, cleared, override
// disabled or ignored (jobsim-test/entrypoint:1 exports ENTRYPOINT_RAN=yes then exec "$@"), and the
// runner's privileged / tmpfs / user settings.

import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceEvent } from '../../../shared/events.js';
import type { ContainerSettings } from '../../../shared/plan.js';
import { runJob } from '../../../main/engine/run-one-job.js';
import { EngineRun, imagePlan, jobPlan } from './engine-fixture.js';

const ENTRYPOINT_IMAGE = 'jobsim-test/entrypoint:1';
const SHOW = ['echo "entrypoint-ran=${ENTRYPOINT_RAN:-no}"'];

let current: EngineRun | undefined;
async function newRun(): Promise<EngineRun> {
  current = await EngineRun.create();
  return current;
}
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

function docker(extra: Partial<ContainerSettings>): ContainerSettings {
  return { ...jobPlan('x').docker, ...extra };
}

async function entrypointRan(options: { entrypoint?: string[]; docker?: Partial<ContainerSettings> }): Promise<{ ran: string; run: EngineRun }> {
  const run = await newRun();
  const image = { ...imagePlan(ENTRYPOINT_IMAGE), ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}) };
  const outcome = await run.run({ image, script: SHOW, docker: docker(options.docker ?? {}) });
  expect(outcome.state).toBe('success');
  const line = run.logs('build').find((l) => l.startsWith('entrypoint-ran='));
  return { ran: line ?? 'missing', run };
}

describe('runJob: entrypoint', () => {
  it("keeps the image's ENTRYPOINT by default (the script runs through it)", async () => {
    expect((await entrypointRan({})).ran).toBe('entrypoint-ran=yes');
  });

  it('uses image:entrypoint when given', async () => {
    const { ran } = await entrypointRan({ entrypoint: ['/bin/sh', '-c', 'export ENTRYPOINT_RAN=override; exec "$@"', '--'] });
    expect(ran).toBe('entrypoint-ran=override');
  });

  it('clears the ENTRYPOINT with entrypoint: [""]', async () => {
    expect((await entrypointRan({ entrypoint: [] })).ran).toBe('entrypoint-ran=no');
  });

  it('ignores the override when disable_entrypoint_overwrite is set, and says so', async () => {
    const { ran, run } = await entrypointRan({ entrypoint: [], docker: { disableEntrypointOverwrite: true } });
    expect(ran).toBe('entrypoint-ran=yes');
    expect(run.logs('runner').join('\n')).toContain('Entrypoint override disabled');
  });

  it("ignores the image's ENTRYPOINT entirely with ignoreImageEntrypoint", async () => {
    expect((await entrypointRan({ docker: { ignoreImageEntrypoint: true } })).ran).toBe('entrypoint-ran=no');
  });
});

const CAP_SYS_ADMIN = 21n;
function hasSysAdmin(statusLine: string | undefined): boolean {
  const hex = statusLine?.split(/\s+/)[1] ?? '0';
  return ((BigInt(`0x${hex}`) >> CAP_SYS_ADMIN) & 1n) === 1n;
}

describe('runJob: container settings', () => {
  it('adds and drops capabilities as configured (CAP_SYS_ADMIN in the effective set)', async () => {
    const run = await newRun();
    await run.run({ script: ['grep CapEff /proc/self/status'] });
    expect(hasSysAdmin(run.logs('build').find((l) => l.startsWith('CapEff')))).toBe(false);

    const added = await newRun();
    await added.run({ script: ['grep CapEff /proc/self/status'], docker: docker({ capAdd: ['SYS_ADMIN'] }) });
    expect(hasSysAdmin(added.logs('build').find((l) => l.startsWith('CapEff')))).toBe(true);
  });

  it('creates the build container privileged when asked, and reports it in the resource event', async () => {
    // Some sandboxes (like CI machines running Docker without all capabilities) refuse to start privileged
    // containers, so this inspects the container as created rather than relying on it running.
    const run = await newRun();
    const inspected: Promise<boolean>[] = [];
    const context = run.context([]);
    const job = jobPlan('privileged', { script: ['true'], docker: docker({ privileged: true }) });
    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        context.emit(event);
        if (event.type === 'resource' && event.role === 'build' && event.action === 'created') {
          inspected.push(run.docker.getContainer(event.id).inspect().then((info) => info.HostConfig.Privileged === true));
        }
      },
    }, []);
    expect(await Promise.all(inspected)).toEqual([true]);
    expect(run.events.find((e) => e.type === 'resource' && e.role === 'build' && e.action === 'created')).toMatchObject({ detail: { privileged: true } });
    if (outcome.state !== 'success') expect(run.logs('runner').join('\n')).toMatch(/ERROR: /);
    expect(await run.leftovers()).toEqual([]);
  });

  it('mounts tmpfs where the runner config says', async () => {
    const run = await newRun();
    const outcome = await run.run({ script: ['grep " /scratch " /proc/mounts'], docker: docker({ tmpfs: { '/scratch': 'rw,size=1m' } }) });
    expect(outcome.state).toBe('success');
    expect(run.logs('build').find((l) => !l.startsWith('$') && l.includes(' /scratch '))).toMatch(/^tmpfs \/scratch tmpfs rw/);
  });

  it('runs as the configured user', async () => {
    const run = await newRun();
    const outcome = await run.run({ script: ['id -u'], docker: docker({ user: '1234' }) });
    expect(outcome.state).toBe('success');
    expect(run.logs('build')).toContain('1234');
  });

  it('gives the job its variables and CI_BUILD_NETWORK_NAME, and joins the job network as `build`', async () => {
    const run = await newRun();
    const outcome = await run.run({
      variables: [{ key: 'GREETING', value: 'hi there', masked: false, source: 'job' }],
      script: ['echo "greeting=$GREETING"', 'echo "net=$CI_BUILD_NETWORK_NAME"', 'nslookup build 2>/dev/null | grep -c Address || true'],
    });
    expect(outcome.state).toBe('success');
    const build = run.logs('build');
    expect(build).toContain('greeting=hi there');
    const network = run.events.find((e): e is ResourceEvent => e.type === 'resource' && e.kind === 'network' && e.action === 'created');
    expect(build).toContain(`net=${network?.name ?? 'missing'}`);
  });
});
