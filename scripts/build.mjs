// Builds everything a fresh clone needs: the CLI/engine bundle (plain Node), the Electron shell, and the
// renderer (served by `jobsim serve` and loaded by the Electron window). Runs from `npm install` (prepare).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({
  ...nodeBundle,
  format: 'esm',
  entryPoints: { cli: 'main/cli.ts' },
  outdir: 'dist',
  banner: { js: "import { createRequire as __jobsimCreateRequire } from 'node:module'; const require = __jobsimCreateRequire(import.meta.url);" },
});

if (existsSync(path.join(root, 'main/electron/main.ts'))) {
  await build({ ...nodeBundle, format: 'esm', entryPoints: { main: 'main/electron/main.ts' }, outdir: 'dist/electron', external: ['electron'],
    banner: { js: "import { createRequire as __jobsimCreateRequire } from 'node:module'; const require = __jobsimCreateRequire(import.meta.url);" } });
  // Sandboxed preloads must be CommonJS.
  await build({ ...nodeBundle, format: 'cjs', entryPoints: { preload: 'main/electron/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] });
}

if (existsSync(path.join(root, 'renderer/index.html')) && !process.argv.includes('--no-renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
}

if (!quiet) console.log(`jobsim: built dist/ in ${Date.now() - started} ms`);
