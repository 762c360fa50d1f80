// The browser UI end to end: Debian's Chromium against the built `jobsim serve`, on the real engine
// with the rig's images. Screenshots of each view go to test/.artifacts/screenshots (`npm run screenshots` refreshes docs/screenshots/).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { startServe, type ServeProcess } from './support/serve.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = path.join(root, 'examples', 'demo');

let browser: TestBrowser;
let home: string;

beforeAll(async () => {
  browser = await launchChromium();
  home = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-home-'));
});

afterAll(async () => {
  await browser?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** Whether the job log's terminal holds the text, asked the way a user would: with Find. */
async function logContains(page: Page, text: string): Promise<boolean> {
  await page.getByLabel('Find in log').fill(text);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  return (await page.locator('.log-toolbar').getByText('not found').count()) === 0;
}

async function openPage(serve: ServeProcess): Promise<Page> {
  const page = await browser.browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  await page.goto(serve.url);
  return page;
}

describe('browser UI', () => {
  it('opens the demo project, runs it, shows the log and folds a section', async () => {
    const serve = await startServe(demo, { JOBSIM_HOME: home });
    try {
      const page = await openPage(serve);
      const graph = page.getByRole('group', { name: 'Pipeline graph' });
      await graph.waitFor();
      const cards = await graph.locator('article.job-card').count();
      expect(cards).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: screenshotPath('project.png') });

      await page.getByRole('button', { name: 'Run pipeline' }).click();
      await page.getByRole('table', { name: 'Jobs' }).waitFor();
      await page.locator('.run-status.status-success').waitFor({ timeout: 120_000 });
      const states = await page.locator('table.jobs tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
      expect(states.every((s) => s === 'success' || s === 'manual' || s === 'skipped')).toBe(true);

      // The last job's log: find a line the runner always prints.
      const lastJob = await page.locator('table.jobs tbody tr').last().getAttribute('data-job');
      await page.getByRole('button', { name: lastJob ?? '' }).click();
      await expect.poll(() => logContains(page, 'Job succeeded'), { timeout: 10_000 }).toBe(true);
      expect(await logContains(page, 'no-such-line-in-any-log')).toBe(false);
      await page.screenshot({ path: screenshotPath('run.png') });

      const section = page.getByRole('navigation', { name: 'Log sections' }).getByRole('button').filter({ hasText: 'step_script' }).first();
      await section.click();
      await expect.poll(() => section.getAttribute('aria-expanded')).toBe('false');
      await page.screenshot({ path: screenshotPath('log-section-folded.png') });
      await page.close();
    } finally {
      await serve.stop();
    }
  });

  it('cancels a long job and shows it canceled', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-long-'));
    await writeFile(
      path.join(project, '.gitlab-ci.yml'),
      ['long:', '  image:', '    name: busybox:1.36', '    pull_policy: if-not-present', '  script:', '    - echo started-long-job', '    - sleep 300', ''].join('\n'),
    );
    const serve = await startServe(project, { JOBSIM_HOME: home });
    try {
      const page = await openPage(serve);
      await page.getByRole('button', { name: 'Run pipeline' }).click();
      await expect.poll(() => logContains(page, 'started-long-job'), { timeout: 60_000 }).toBe(true);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await page.locator('.run-status.status-canceled').waitFor({ timeout: 60_000 });
      expect(await page.locator('table.jobs tbody tr[data-job="long"]').getAttribute('data-state')).toBe('canceled');
      await page.close();
    } finally {
      await serve.stop();
      await rm(project, { recursive: true, force: true });
    }
  });
});
