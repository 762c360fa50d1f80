// Debugging a failed job from the browser: Debian's Chromium against the built `jobsim serve` on the real
// engine. The job fails, is kept (the app's default), and the Debug panel's terminal round-trips
// keystrokes and follows the panel's size; Done removes what was kept.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGES } from '../rig/constants.js';
import { launchChromium, type TestBrowser } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { startServe, type ServeProcess } from './support/serve.js';

const exec = promisify(execFile);

let browser: TestBrowser;
let home: string;
let project: string;
let serve: ServeProcess;
let page: Page;

/** What the shell's terminal shows, row by row (xterm's DOM renderer). */
async function screenText(): Promise<string> {
  return page.getByRole('region', { name: 'Shell' }).locator('.xterm-rows').innerText();
}

async function objectsOfRun(runId: string): Promise<string[]> {
  const filter = `label=dev.jobsim.run-id=${runId}`;
  const list = async (args: string[]) => (await exec('docker', args)).stdout.split('\n').filter(Boolean);
  return [...(await list(['ps', '-a', '-q', '--filter', filter])), ...(await list(['network', 'ls', '-q', '--filter', filter]))];
}

beforeAll(async () => {
  browser = await launchChromium();
  home = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-shell-home-'));
  project = await mkdtemp(path.join(tmpdir(), 'jobsim-e2e-shell-'));
  await writeFile(
    path.join(project, '.gitlab-ci.yml'),
    [
      'broken:',
      `  image: { name: ${TEST_IMAGES.shell}, pull_policy: if-not-present }`,
      '  variables: { GREETING: hello-from-the-job }',
      '  script:',
      '    - echo built > result.txt',
      '    - exit 3',
      '',
    ].join('\n'),
  );
  serve = await startServe(project, { JOBSIM_HOME: home });
  page = await browser.browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  await page.goto(serve.url);
  await page.getByRole('group', { name: 'Pipeline graph' }).waitFor();
}, 60_000);

afterAll(async () => {
  await page?.close();
  await serve?.stop();
  await browser?.close();
  await rm(project, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

describe('a shell in a kept failed job', () => {
  it('round-trips keystrokes, follows the panel size, and Done removes the kept containers', async () => {
    expect(await page.getByRole('checkbox', { name: 'Keep failed jobs for debugging' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Run pipeline' }).click();
    await page.locator('.run-status.status-failed').waitFor({ timeout: 120_000 });
    const runId = (await page.locator('.run .toolbar code').first().innerText()).trim();
    await page.getByRole('table', { name: 'Jobs' }).getByRole('button', { name: 'broken', exact: true }).click();
    await page.getByRole('tab', { name: /Debug/ }).click();
    const kept = page.getByRole('region', { name: 'Kept for debugging' });
    await kept.waitFor({ timeout: 30_000 });
    expect(await kept.innerText()).toContain('exit 3');

    await kept.getByRole('button', { name: 'Open shell' }).click();
    const shell = page.getByRole('region', { name: 'Shell' });
    await shell.locator('.xterm-rows').waitFor();
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/failed/);
    await shell.locator('.xterm-helper-textarea').focus();
    await page.keyboard.type('cat result.txt; echo "$GREETING" $((6*7))\n');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/hello-from-the-job 42/);
    expect(await screenText()).toContain('built');

    await page.keyboard.type('stty size\n');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^\d+ \d+$/m);
    const sizeBefore = [...(await screenText()).matchAll(/^(\d+) (\d+)$/gm)].pop()?.[0];
    await page.screenshot({ path: screenshotPath('shell.png') });
    await page.setViewportSize({ width: 900, height: 900 });
    await page.keyboard.type('clear; stty size\n');
    await expect.poll(async () => [...(await screenText()).matchAll(/^(\d+) (\d+)$/gm)].pop()?.[0], { timeout: 10_000 }).not.toBe(sizeBefore);

    await page.keyboard.type('exit 5\n');
    await expect.poll(screenText, { timeout: 10_000 }).toContain('exited with code 5');

    expect((await objectsOfRun(runId)).length).toBeGreaterThan(0);
    await kept.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => objectsOfRun(runId), { timeout: 30_000 }).toEqual([]);
  });
});
