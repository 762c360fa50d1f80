// `npm start` where Electron cannot run must say so in one line and point to the browser UI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));

function start(env: Record<string, string | undefined>) {
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ELECTRON_OVERRIDE_DIST_PATH: _e, ...rest } = process.env;
  return spawnSync(process.execPath, [script], { env: { ...rest, ...env } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000 });
}

describe('npm start', () => {
  it.runIf(process.platform === 'linux')('without a display, says so in one line and points to jobsim serve', () => {
    const result = start({});
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no display');
    expect(result.stderr).toContain('jobsim.js serve');
  });

  it('with ELECTRON_OVERRIDE_DIST_PATH pointing nowhere, names the path', () => {
    const result = start({ DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH is set but /nonexistent/electron/');
    expect(result.stderr).toContain('jobsim.js serve');
  });
});
