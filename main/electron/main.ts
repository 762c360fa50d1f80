// The desktop app's entry: the only place that loads Electron itself. Everything else receives it.

import * as electron from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDefaultApi } from '../app/index.js';
import type { ElectronDeps } from './deps.js';
import { startDesktop } from './desktop.js';

// Bundled to dist/electron/main.js: the preload sits beside it, the renderer in dist/renderer.
const here = path.dirname(fileURLToPath(import.meta.url));

await startDesktop(electron as unknown as ElectronDeps, createDefaultApi(), {
  preload: path.join(here, 'preload.cjs'),
  indexHtml: path.join(here, '..', 'renderer', 'index.html'),
  devRendererUrl: process.env.JOBSIM_DEV_RENDERER_URL,
});
