// A job printing 50 MB: every line reaches the page, the last one is in the terminal, and the page
// keeps drawing frames. The timings are printed for docs/benchmarks.md (no timing is asserted).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These run inside the page (page.evaluate), where the DOM exists.
declare const window: { maxFrameGap: number; frames: number };
declare function requestAnimationFrame(callback: (now: number) => void): number;
import { launchChromium, type TestBrowser } from './support/browser.js';
import { startServe } from './support/serve.js';

const LINES = 500_000;
// 100 bytes per line: "flood 0000042 " + 85 x's + newline.
const AWK = `awk 'BEGIN { pad = sprintf("%85s", ""); gsub(/ /, "x", pad); for (i = 0; i < ${LINES}; i++) printf "flood %07d %s\\n", i, pad }'`;

let browser: TestBrowser;
let home: string;
let project: string;

beforeAll(async () => {
  browser = await launchChromium();
  home = await mkdtemp(path.join(tmpdir(), 'jobsim-flood-home-'));
  project = await mkdtemp(path.join(tmpdir(), 'jobsim-flood-'));
  await writeFile(path.join(project, '.gitlab-ci.yml'), ['flood:', '  image:', '    name: jobsim-test/shell:1', '    pull_policy: never', '  script:', `    - ${JSON.stringify(AWK)}`, ''].join('\n'));
});

afterAll(async () => {
  await browser?.close();
  for (const dir of [home, project]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** How long the same container takes to print the same output when read straight from `docker run`. */
async function rawDockerSeconds(): Promise<number> {
  const started = performance.now();
  await promisify(execFile)('docker', ['run', '--rm', '--label', 'dev.jobsim.test=true', 'jobsim-test/shell:1', 'sh', '-c', AWK], { maxBuffer: 200 * 1024 * 1024 });
  return (performance.now() - started) / 1000;
}

describe('a 50 MB log', () => {
  it('reaches the page whole while the page keeps drawing', async () => {
    const serve = await startServe(project, { JOBSIM_HOME: home });
    try {
      const page = await browser.browser.newPage({ viewport: { width: 1360, height: 900 } });
      await page.goto(serve.url);
      await page.getByRole('button', { name: 'Run pipeline' }).waitFor();
      // Record the longest gap between animation frames while the log streams in.
      await page.evaluate(() => {
        const w = window;
        w.maxFrameGap = 0;
        w.frames = 0;
        let last = performance.now();
        const tick = (now: number): void => {
          w.maxFrameGap = Math.max(w.maxFrameGap, now - last);
          w.frames++;
          last = now;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const started = performance.now();
      await page.getByRole('button', { name: 'Run pipeline' }).click();
      await page.locator('.run-status.status-success').waitFor({ timeout: 170_000 });
      const counter = page.locator('.log-toolbar .muted').filter({ hasText: / lines/ });
      await expect.poll(async () => Number((await counter.first().innerText()).match(/^(\d+) lines/)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(LINES);
      const seconds = (performance.now() - started) / 1000;
      const { maxFrameGap, frames } = await page.evaluate(() => ({ maxFrameGap: window.maxFrameGap, frames: window.frames }));

      // The last line made it into the terminal itself.
      await page.getByLabel('Find in log').fill(`flood ${String(LINES - 1).padStart(7, '0')}`);
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      expect(await page.locator('.log-toolbar').getByText('not found').count()).toBe(0);

      const raw = await rawDockerSeconds();
      console.log(`log flood: ${LINES} lines (50 MB) through jobsim serve to the page in ${seconds.toFixed(1)} s (${(50 / seconds).toFixed(1)} MB/s); raw docker run of the same container ${raw.toFixed(1)} s; ratio ${(seconds / raw).toFixed(1)}x; longest frame gap ${maxFrameGap.toFixed(0)} ms over ${frames} frames`);
      await page.close();
    } finally {
      await serve.stop();
    }
  });
});
