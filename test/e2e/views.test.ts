// The "why" views end to end: Debian's Chromium against the built `jobsim serve` on the real engine. A
// pipeline with a service, a cache, an image pulled from the rig's local registry (policy always) and a
// local image (if-not-present) runs twice, with the registry tag moved in between. Screenshots of each
// view go to test/.artifacts/screenshots (`npm run screenshots` refreshes docs/screenshots/).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImageAs, removeLocalImage } from '../support/registry-tag.js';
import { OPEN_REGISTRY, TEST_IMAGES } from '../rig/constants.js';
import { launchChromium, type TestBrowser } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { startServe, type ServeProcess } from './support/serve.js';

const exec = promisify(execFile);
const docker = (...args: string[]) => exec('docker', args);
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Its own tag, so this test never races the fixture recorder or other tests over one. */
const APP_IMAGE = `${OPEN_REGISTRY}/jobsim-e2e-views/app:1`;

let browser: TestBrowser;
let home: string;
let project: string;
let serve: ServeProcess;
let page: Page;


async function runPipeline(): Promise<void> {
  await page.getByRole('button', { name: 'Project' }).click();
  await page.getByRole('button', { name: 'Run pipeline' }).click();
  await page.getByRole('table', { name: 'Jobs' }).waitFor();
  await page.locator('.run-status.status-success').waitFor({ timeout: 120_000 });
}

async function showJobPanel(job: string, tab: string): Promise<void> {
  await page.getByRole('table', { name: 'Jobs' }).getByRole('button', { name: job, exact: true }).click();
  await page.getByRole('tab', { name: tab }).click();
}

beforeAll(async () => {
  browser = await launchChromium();
  home = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-views-home-'));
  // A copy with its own folder name: the project path keys its caches, which outlive the runs.
  project = path.join(await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-views-')), `views-${process.pid}`);
  await cp(path.join(root, 'test/fixtures/ui-views'), project, { recursive: true });
  const file = path.join(project, '.gitlab-ci.yml');
  await writeFile(file, (await readFile(file, 'utf8')).replaceAll(`${OPEN_REGISTRY}/jobsim-ui-views/app:1`, APP_IMAGE));
  await removeLocalImage(APP_IMAGE);
  await pushImageAs(TEST_IMAGES.shell, APP_IMAGE);
  serve = await startServe(project, { JOBSIM_HOME: home });
  page = await browser.browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  await page.goto(serve.url);
  await page.getByRole('group', { name: 'Pipeline graph' }).waitFor();
  await runPipeline();
}, 180_000);

afterAll(async () => {
  await page?.close();
  await serve?.stop();
  await browser?.close();
  await removeLocalImage(APP_IMAGE);
  // The caches of this project, in case the cache test did not get to clear them.
  const { stdout } = await docker('volume', 'ls', '-q', '--filter', `label=dev.jobsim.cache.project=local/${path.basename(project ?? 'none')}`).catch(() => ({ stdout: '' }));
  const volumes = stdout.split('\n').filter(Boolean);
  if (volumes.length > 0) await docker('volume', 'rm', '--force', ...volumes).catch(() => undefined);
  if (project) await rm(path.dirname(project), { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the views that explain a run', () => {
  it('services: the service is healthy, with both derived aliases and the custom one', async () => {
    await showJobPanel('web', 'Services');
    const service = page.getByRole('listitem', { name: /^Service jobsim-test\/http:1: healthy/ });
    await service.waitFor();
    const names = await service.getByRole('list', { name: /^Host names of/ }).innerText();
    expect(names).toContain('jobsim-test-http');
    expect(names).toContain('jobsim-test__http');
    expect(names).toContain('web-api');
    expect(await service.getByLabel('Variables jobsim-test/http:1 received').innerText()).toContain('SERVICE_MODE');
    await page.screenshot({ path: screenshotPath('services.png') });
  });

  it('pull decisions: pulled with a digest from the registry, used-local for the present image, and why', async () => {
    await showJobPanel('web', 'Pull decisions');
    const pulled = page.locator(`tr[data-image="${APP_IMAGE}"][data-decision="pulled"]`);
    await pulled.waitFor();
    expect(await pulled.innerText()).toMatch(/sha256:[0-9a-f]{6,}/);
    await pulled.focus();
    await page.keyboard.press('Enter');
    const whyPulled = page.getByRole('region', { name: `Why pulled: ${APP_IMAGE}, attempt 1` });
    expect(await whyPulled.innerText()).toMatch(/always/);
    await page.screenshot({ path: screenshotPath('pull-decisions.png') });

    await showJobPanel('local', 'Pull decisions');
    const local = page.locator(`tr[data-image="${TEST_IMAGES.shell}"][data-decision="used-local"]`);
    await local.focus();
    await page.keyboard.press('Enter');
    const whyLocal = page.getByRole('region', { name: `Why used-local: ${TEST_IMAGES.shell}, attempt 1` });
    expect(await whyLocal.innerText()).toMatch(/if-not-present/);
  });

  it('isolation: the job network holds the build container and the service', async () => {
    await showJobPanel('web', 'Isolation');
    const network = page.getByRole('region', { name: /^Network jobsim-.*-web-.*-net$/ });
    await network.waitFor();
    expect(await network.getByRole('listitem', { name: /^Container build of job web/ }).count()).toBe(1);
    expect(await network.getByRole('listitem', { name: /^Container .*http.* of job web/ }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Who can reach whom' }).innerText()).toContain('web-api');
    await page.screenshot({ path: screenshotPath('isolation.png') });
  });

  it('history and compare: the second run shows the changed digest', async () => {
    await pushImageAs(TEST_IMAGES.http, APP_IMAGE);
    await runPipeline();
    await page.getByRole('button', { name: 'History' }).click();
    const table = page.getByRole('table', { name: 'Past runs' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    const runIds = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run') ?? ''));
    await page.screenshot({ path: screenshotPath('history.png') });
    for (const runId of runIds) await page.getByRole('checkbox', { name: `Pick run ${runId} to compare` }).check();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(new RegExp(`build image ${APP_IMAGE.replaceAll('.', '\\.')}: digest [0-9a-f]{12} → [0-9a-f]{12}`));
    await page.screenshot({ path: screenshotPath('compare.png') });
  });

  it('caches: the volume is listed with its size, and clearing it removes it', async () => {
    await page.getByRole('button', { name: 'Caches' }).click();
    const table = page.getByRole('table', { name: 'Caches' });
    const row = table.locator('tbody tr').filter({ hasText: `local/${path.basename(project)}` });
    await row.first().waitFor();
    expect(await row.first().innerText()).toMatch(/\d+(\.\d+)? ?(B|KiB|KB|MiB|MB)/);
    await page.screenshot({ path: screenshotPath('caches.png') });
    await row.first().getByRole('button', { name: /^Clear cache/ }).click();
    await page.getByRole('alertdialog', { name: 'Confirm clearing' }).getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('status', { name: 'Clear result' }).waitFor();
    await expect.poll(() => row.count()).toBe(0);
    const { stdout } = await docker('volume', 'ls', '-q', '--filter', `label=dev.jobsim.cache.project=local/${path.basename(project)}`);
    expect(stdout.trim()).toBe('');
  });
});
