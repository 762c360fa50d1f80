// The desktop app's lifecycle. It receives Electron as a parameter (main.ts passes the real module),
// so tests can drive it with fakes.

import type { JobsimApi } from '../../shared/api.js';
import { CHANNELS, type MenuAction } from './channels.js';
import type { BrowserWindowLike, ElectronDeps } from './deps.js';
import { registerIpcHandlers } from './ipc.js';
import { menuTemplate } from './menu.js';
import { lockDownSession } from './security.js';
import { createMainWindow } from './window.js';
import { loadWindowState } from './window-state.js';

export interface DesktopFiles {
  preload: string;
  indexHtml: string;
  /** Set by `npm start`: load the renderer from Vite's dev server (hot reload). */
  devRendererUrl?: string;
}

export async function startDesktop(electron: ElectronDeps, api: JobsimApi, files: DesktopFiles, platform: NodeJS.Platform = process.platform): Promise<void> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let window: BrowserWindowLike | undefined;
  const isOurWindow = (sender: { id: number }): boolean => window !== undefined && !window.webContents.isDestroyed() && window.webContents.id === sender.id;
  const send = (action: MenuAction): void => window?.webContents.send(CHANNELS.menu, action);

  const ipc = registerIpcHandlers(electron.ipcMain, {
    api,
    isOurWindow: (sender) => isOurWindow(sender) && electron.BrowserWindow.fromWebContents(sender) === window,
    pickFolder: async () => {
      if (!window) return null;
      const result = await electron.dialog.showOpenDialog(window, { properties: ['openDirectory'], title: 'Open a project folder' });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });

  app.on('window-all-closed', () => app.quit());
  await app.whenReady();
  lockDownSession(electron.session.defaultSession, files.devRendererUrl !== undefined);
  electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(menuTemplate(send, platform === 'darwin')));
  const userDataDir = app.getPath('userData');
  window = createMainWindow(electron, { ...files, userDataDir }, loadWindowState(userDataDir));
  window.on('closed', () => {
    window = undefined;
    ipc.closeAll();
  });
}
