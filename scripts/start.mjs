// `npm start`: the desktop app in development (renderer from Vite's dev server with hot reload).
// Where Electron cannot run here (no display, no binary and no way to download it), say so in one
// line and point to the browser UI, which needs neither.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const electronPackage = path.join(root, 'node_modules', 'electron');
const BROWSER_HINT = 'run `node bin/jobsim.js serve` and open the printed URL in a browser instead';

function fail(message) {
  process.stderr.write(`jobsim: ${message}; ${BROWSER_HINT}.\n`);
  process.exit(1);
}

function executableName() {
  const pathFile = path.join(electronPackage, 'path.txt');
  if (existsSync(pathFile)) return readFileSync(pathFile, 'utf8').trim();
  return { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
}

/** The Electron binary, downloading it once if needed (Electron ≥ 42 downloads on first use). */
function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, executableName());
    if (!existsSync(binary)) fail(`ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist`);
    return binary;
  }
  const installed = path.join(electronPackage, 'dist', executableName());
  if (existsSync(installed)) return installed;
  process.stderr.write('jobsim: downloading the Electron binary (once)...\n');
  const download = spawnSync(process.execPath, [path.join(electronPackage, 'install.js')], { stdio: 'ignore', timeout: 180_000 });
  const binary = path.join(electronPackage, 'dist', executableName());
  if (download.status !== 0 || !existsSync(binary)) {
    fail('the Electron binary is not installed and could not be downloaded (no network?); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron');
  }
  return binary;
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail('there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)');
}
const binary = electronBinary();

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet', '--no-renderer'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { createServer } = await import('vite');
const vite = await createServer({ configFile: path.join(root, 'vite.config.ts'), server: { host: '127.0.0.1', port: 0, strictPort: false } });
await vite.listen();
const rendererUrl = vite.resolvedUrls?.local[0];
if (!rendererUrl) fail('the renderer dev server did not start');

const app = spawn(binary, [path.join(root, 'dist', 'electron', 'main.js')], {
  stdio: 'inherit',
  env: { ...process.env, JOBSIM_DEV_RENDERER_URL: rendererUrl },
});
app.on('exit', async (code) => {
  await vite.close();
  process.exit(code ?? 0);
});
