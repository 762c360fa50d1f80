import { lstat, readFile, readlink, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadArtifacts, uploadArtifacts } from '../../../main/engine/artifacts/transfer.js';
import { preparedJob } from '../../../main/engine/job-run/job-context.js';
import type { JobOutcome, JobRecord } from '../../../main/engine/contracts.js';
import type { ArtifactEvent } from '../../../shared/events.js';
import type { ArtifactsPlan, JobPlan } from '../../../shared/plan.js';
import { PROJECT_DIR, ServiceFixture, jobPlan } from '../support/fixtures-services.js';

let fixture: ServiceFixture;

beforeAll(async () => {
  fixture = await ServiceFixture.create();
  await fixture.setUp();
});

afterAll(async () => {
  await fixture.cleanUp();
});

const SUCCESS: JobOutcome = { state: 'success', exitCode: 0 };
const FAILED: JobOutcome = { state: 'failed', exitCode: 1, reason: { kind: 'script', exitCode: 1 } };

function artifacts(extra: Partial<ArtifactsPlan>): ArtifactsPlan {
  return { paths: [], exclude: [], untracked: false, when: 'on_success', ...extra };
}

/** A fresh builds volume whose project dir was filled by `script`, and a created container mounting it. */
async function jobVolume(script: string): Promise<{ volume: string; containerId: string; output: string }> {
  const volume = await fixture.newVolume();
  const { exitCode, output } = await fixture.shell(`set -e; mkdir -p ${PROJECT_DIR}; cd ${PROJECT_DIR}; ${script}`, volume);
  expect(exitCode, output).toBe(0);
  return { volume, containerId: await fixture.createdContainer(volume), output };
}

async function upload(job: JobPlan, outcome: JobOutcome, script: string): Promise<string | undefined> {
  const { volume, containerId } = await jobVolume(script);
  return uploadArtifacts(preparedJob(job, fixture.run(), await fixture.workspace(volume)), outcome, containerId);
}

function artifactEvents(job: string): ArtifactEvent[] {
  return fixture.events.filter((e): e is ArtifactEvent => e.type === 'artifact' && e.job === job);
}

async function tree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    out.push(entry.isDirectory() ? `${path}/` : path);
    if (entry.isDirectory()) out.push(...(await tree(dir, path)));
  }
  return out.sort();
}

const PROJECT_SCRIPT = [
  'mkdir -p out/logs src',
  'echo binary > out/app.bin',
  'echo log > out/logs/build.log',
  'ln -s app.bin out/current',
  'ln -s /etc/passwd out/passwd',
  'ln -s /etc etc',
  'echo report > report.txt',
  'echo source > src/main.c',
].join('; ');

describe('artifact upload', () => {
  it('stores the selected paths minus exclude, warns for outside paths and missing matches', async () => {
    const job = jobPlan('collect', { artifacts: artifacts({ paths: ['out/', '*.txt', '../outside', 'missing/'], exclude: ['out/logs'] }) });
    const dir = await upload(job, SUCCESS, PROJECT_SCRIPT);
    expect(dir).toBeDefined();
    if (!dir) return;
    expect(await tree(dir)).toEqual(['out/', 'out/app.bin', 'out/current', 'report.txt']);
    expect(await readFile(join(dir, 'out/app.bin'), 'utf8')).toBe('binary\n');
    expect(await readlink(join(dir, 'out/current'))).toBe('app.bin');
    const logs = fixture.logs();
    expect(logs).toContain('Uploading artifacts for successful job');
    expect(logs).toContain('WARNING: ../outside: not supported: outside build directory');
    expect(logs).toContain('out/: found 3 matching artifact files and directories');
    expect(logs).toContain('*.txt: found 1 matching artifact files and directories');
    expect(logs.find((l) => l.startsWith('WARNING: missing/: no matching files'))).toBeDefined();
    expect(logs).toContain('out/logs: excluded 2 files');
    expect(logs.find((l) => l.startsWith('WARNING: out/passwd: not supported: symlink points outside build directory'))).toBeDefined();
    const uploaded = artifactEvents('collect').find((e) => e.action === 'uploaded');
    expect(uploaded).toMatchObject({ files: 3, bytes: 'binary\n'.length + 'report\n'.length });
  });

  it('never follows a symlink out of the build directory', async () => {
    const job = jobPlan('escape', { artifacts: artifacts({ paths: ['etc', 'etc/passwd', 'etc/**'] }) });
    const dir = await upload(job, SUCCESS, PROJECT_SCRIPT);
    expect(dir).toBeUndefined();
    expect(fixture.logs().find((l) => l.startsWith('WARNING: etc: not supported: symlink points outside build directory (/etc)'))).toBeDefined();
    expect(artifactEvents('escape').map((e) => [e.action, e.reason])).toEqual([['skipped', 'no matching files']]);
  });

  it('follows artifacts:when against the outcome', async () => {
    const cases: [ArtifactsPlan['when'], JobOutcome, boolean][] = [
      ['on_success', SUCCESS, true],
      ['on_success', FAILED, false],
      ['on_failure', FAILED, true],
      ['on_failure', SUCCESS, false],
      ['always', FAILED, true],
      ['always', { state: 'canceled', reason: { kind: 'canceled' } }, false],
    ];
    // Uploading only reads the volume, so one job volume serves every case.
    const { volume, containerId } = await jobVolume('echo report > report.txt');
    const workspace = await fixture.workspace(volume);
    for (const [index, [when, outcome, stored]] of cases.entries()) {
      const job = jobPlan(`when-${index}`, { artifacts: artifacts({ paths: ['report.txt'], when }) });
      const dir = await uploadArtifacts(preparedJob(job, fixture.run(), workspace), outcome, containerId);
      expect({ when, state: outcome.state, stored: dir !== undefined }).toEqual({ when, state: outcome.state, stored });
      const actions = artifactEvents(`when-${index}`).map((e) => e.action);
      expect(actions).toEqual([stored ? 'uploaded' : 'skipped']);
    }
  });
});

describe('artifact download', () => {
  it('puts an upstream job’s artifacts into the next job’s project dir, bytes intact', async () => {
    const producer = jobPlan('compile', { stage: 'build', stageIndex: 0, artifacts: artifacts({ paths: ['out'] }) });
    const made = await jobVolume(`${PROJECT_SCRIPT}; dd if=/dev/urandom of=out/big.bin bs=1024 count=6144 2>/dev/null; md5sum out/big.bin`);
    const dir = await uploadArtifacts(preparedJob(producer, fixture.run(), await fixture.workspace(made.volume)), SUCCESS, made.containerId);
    expect(dir).toBeDefined();
    const producedSum = made.output.split(' ')[0];
    const upstream: JobRecord[] = [{ job: producer, outcome: SUCCESS, ...(dir ? { artifactsDir: dir } : {}) }];
    const consumer = jobPlan('test', { stage: 'test', stageIndex: 1 });
    const { volume, containerId } = await jobVolume('echo mine > mine.txt');
    await downloadArtifacts(preparedJob(consumer, fixture.run(), await fixture.workspace(volume)), upstream, containerId);
    const bigSize = (await lstat(join(dir ?? '', 'out/big.bin'))).size;
    const { output } = await fixture.shell(`cd ${PROJECT_DIR} && cat out/app.bin mine.txt && readlink out/current && ls out && md5sum out/big.bin`, volume);
    expect(output.split('\n').filter(Boolean)).toEqual(['binary', 'mine', 'app.bin', 'app.bin', 'big.bin', 'current', 'logs', `${producedSum ?? ''}  out/big.bin`]);
    const downloaded = artifactEvents('test').find((e) => e.action === 'downloaded');
    expect(downloaded).toMatchObject({ from: 'compile', files: 4, bytes: bigSize + 'binary\n'.length + 'log\n'.length });
    expect(fixture.logs()).toContain('Downloading artifacts for compile...');
  });

  it('downloads nothing for `dependencies: []`', async () => {
    const producer = jobPlan('gen', { stage: 'build', stageIndex: 0 });
    const upstream: JobRecord[] = [{ job: producer, outcome: SUCCESS, artifactsDir: fixture.runDir }];
    const consumer = jobPlan('isolated', { stageIndex: 1, dependencies: [] });
    const { volume, containerId } = await jobVolume('true');
    await downloadArtifacts(preparedJob(consumer, fixture.run(), await fixture.workspace(volume)), upstream, containerId);
    expect(artifactEvents('isolated')).toEqual([]);
  });
});
