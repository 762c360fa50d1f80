// The one desktop window: sandboxed, isolated, with only the preload's API exposed.

import type { BrowserWindowLike, BrowserWindowOptions, ElectronDeps } from './deps.js';
import { denyNavigation } from './security.js';
import { saveWindowState, type WindowState } from './window-state.js';

export function secureWindowOptions(preload: string, state: WindowState): BrowserWindowOptions {
  const { x, y, width, height } = state.bounds;
  return {
    ...(x >= 0 && y >= 0 ? { x, y } : {}),
    width,
    height,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'jobsim',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(electron: ElectronDeps, files: { preload: string; indexHtml: string; userDataDir: string; devRendererUrl?: string }, state: WindowState): BrowserWindowLike {
  const window = new electron.BrowserWindow(secureWindowOptions(files.preload, state));
  denyNavigation(window.webContents);
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowState(files.userDataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  void (files.devRendererUrl ? window.loadURL(files.devRendererUrl) : window.loadFile(files.indexHtml));
  return window;
}
