// The project view in Debian's Chromium: the built renderer served by the real `jobsim serve` server
// (in-process, loopback) in front of a fake API that answers with hand-built plans holding every job
// state and a parallel job. Checks what a user sees: greyed cards with reasons, the excluded toggle, the
// grouped instances, and the pipeline choice reaching openProject and startRun over the socket.
// Screenshots go to test/.artifacts/screenshots.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/server/index.js';
import { createFakeApi } from '../support/fake-api.js';
import { statesPlan } from '../support/state-plans.js';
import { launchChromium, type TestBrowser } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { startServe, type ServeProcess } from './support/serve.js';

const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const api = createFakeApi();
let server: RunningServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error('dist/renderer is missing: run `npm run build` first');
  api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true, version: '27.0' });
  api.openProject.mockImplementation((_dir, _file, _runner, pipeline) => Promise.resolve({ ok: true, plan: statesPlan(pipeline?.tag ? { tag: pipeline.tag } : {}) }));
  api.startRun.mockResolvedValue({ runId: '20261207-130000-abcdef' });
  server = await startServer({ api, staticDir: rendererDir, host: '127.0.0.1', port: 0, token: 'project-states-token-0123456789' });
  browser = await launchChromium();
  page = await browser.browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  await page.goto(`${server.url}&project=${encodeURIComponent('/work/shop')}`);
  await page.getByRole('group', { name: 'Pipeline graph' }).waitFor();
}, 60_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
});

// Runs in the page; the Node typings have no DOM.
declare function getComputedStyle(element: unknown): { opacity: string };
const opacity = (selector: string): Promise<number> => page.locator(selector).first().evaluate((element) => Number(getComputedStyle(element).opacity));

describe('the project view in Chromium', () => {
  it('greys blocked jobs with their reason, hides excluded ones behind a toggle, groups parallel jobs', async () => {
    const graph = page.getByRole('group', { name: 'Pipeline graph' });
    const windows = graph.getByLabel('job windows-build, needs a runner');
    await expect(windows.innerText()).resolves.toContain('needs a Windows runner (tags: windows, shared)');
    // Greyed: the card's content is faded, the reason line is not.
    expect(await opacity('[data-job="windows-build"] .job-image')).toBeLessThan(1);
    expect(await opacity('[data-job="windows-build"] .job-reason')).toBe(1);
    expect(await opacity('[data-job="compile"] .job-image')).toBe(1);
    expect(await windows.getByRole('button', { name: 'Run windows-build' }).count()).toBe(0);

    expect(await graph.locator('[data-job="nightly"]').count()).toBe(0);
    expect(await graph.locator('[data-job="test 1/3"]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('project-states.png'), fullPage: true });

    await page.getByRole('checkbox', { name: 'show 2 excluded jobs' }).check();
    await expect(graph.getByLabel('job nightly, excluded').innerText()).resolves.toContain('only: schedules');
    await graph.getByRole('button', { name: '▸ test' }).click();
    await graph.locator('[data-job="test 3/3"]').waitFor();
    expect(await graph.locator('[data-edge="compile->test 3/3"]').count()).toBe(1);
    // The reason line fits the card: nothing of it is cut off vertically.
    const box = await graph.locator('[data-job="templates"]').boundingBox();
    const reason = await graph.locator('[data-job="templates"] .job-reason').boundingBox();
    expect(box && reason && reason.y + reason.height <= box.y + box.height).toBe(true);
    await page.screenshot({ path: screenshotPath('project-states-open.png'), fullPage: true });
  });

  it('the pipeline choice goes over the socket: the job list follows a tag, and Run pipeline runs it', async () => {
    const form = page.getByRole('form', { name: 'Pipeline to simulate' });
    await form.getByLabel('Pipeline for').selectOption('tag');
    await form.getByLabel('Tag').fill('v1.0');
    await form.getByRole('button', { name: 'Show pipeline' }).click();
    await page.getByText('push pipeline for tag v1.0').waitFor();
    expect(api.openProject).toHaveBeenLastCalledWith('/work/shop', undefined, undefined, { tag: 'v1.0' });
    // The graph stays while the plan is read again: what was shown (excluded jobs, open groups) stays shown.
    expect(await page.getByRole('checkbox', { name: 'show 1 excluded job' }).isChecked()).toBe(true);
    expect(await page.locator('[data-job="test 3/3"]').count()).toBe(1);

    await page.getByRole('button', { name: 'Run pipeline' }).click();
    await expect.poll(() => api.startRun.mock.calls.length).toBe(1);
    expect(api.startRun.mock.calls[0]?.[0]).toMatchObject({ projectDir: '/work/shop', pipeline: { tag: 'v1.0' } });
  });
});

describe('the project view on the real parser (`jobsim serve`)', () => {
  const CI = [
    'image: busybox:1.36',
    'build:',
    '  stage: build',
    '  script: [echo build]',
    'test:',
    '  stage: test',
    '  parallel: 2',
    '  script: [echo $CI_NODE_INDEX]',
    'release:',
    '  stage: deploy',
    '  script: [echo release]',
    '  only: [tags]',
    'mr-check:',
    '  stage: test',
    '  script: [echo mr]',
    '  rules:',
    '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    '',
  ].join('\n');
  let serve: ServeProcess;
  let realPage: Page;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-states-'));
    const project = path.join(scratch, 'shop');
    await mkdir(project);
    await writeFile(path.join(project, '.gitlab-ci.yml'), CI);
    serve = await startServe(project, { JOBSIM_HOME: path.join(scratch, 'home') });
    realPage = await browser.browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
    await realPage.goto(serve.url);
    await realPage.getByRole('group', { name: 'Pipeline graph' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await realPage?.close();
    await serve?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('groups the parallel job, hides the excluded ones, and follows a tag and a merge request pipeline', async () => {
    const graph = realPage.getByRole('group', { name: 'Pipeline graph' });
    await graph.getByLabel('job group test, 2 jobs').waitFor();
    expect(await graph.locator('[data-job="release"], [data-job="mr-check"]').count()).toBe(0);
    await realPage.getByRole('checkbox', { name: 'show 2 excluded jobs' }).check();
    await expect(graph.getByLabel('job release, excluded').innerText()).resolves.toContain('only');

    const form = realPage.getByRole('form', { name: 'Pipeline to simulate' });
    await form.getByLabel('Pipeline for').selectOption('tag');
    await form.getByLabel('Tag').fill('v1.0');
    await form.getByRole('button', { name: 'Show pipeline' }).click();
    await realPage.getByText('push pipeline for tag v1.0').waitFor();
    await graph.getByLabel('job release', { exact: true }).waitFor();

    const again = realPage.getByRole('form', { name: 'Pipeline to simulate' });
    await again.getByLabel('Pipeline for').selectOption('merge request');
    await again.getByLabel('Source branch').fill('feature');
    await again.getByLabel('Target branch').fill('main');
    await again.getByRole('button', { name: 'Show pipeline' }).click();
    await realPage.getByText('merge request pipeline: feature into main').waitFor();
    await graph.getByLabel('job mr-check', { exact: true }).waitFor();
    await realPage.screenshot({ path: screenshotPath('project-states-real.png'), fullPage: true });

    // A name git refuses comes back from the parser, with the choice still there to correct it.
    const bad = realPage.getByRole('form', { name: 'Pipeline to simulate' });
    await bad.getByLabel('Source branch').fill('bad..name');
    await bad.getByRole('button', { name: 'Show pipeline' }).click();
    await expect(realPage.getByRole('alert').innerText()).resolves.toContain('"bad..name" is not a valid git ref name');
  });
});
