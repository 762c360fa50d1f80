// Every test resolves `electron` here (see vitest.config.ts). Electron >= 42 downloads its binary on the
// first real require, which this machine cannot do, so no test may ever reach the real module.
// Tests that exercise main/electron/ build their own fakes and pass them in; this module only makes an
// accidental import fail loudly instead of trying the network.
const message = 'the real electron module is not available in tests; inject a fake instead';
function unavailable(): never {
  throw new Error(message);
}
export const app = new Proxy({}, { get: unavailable });
export const BrowserWindow = new Proxy(function () {}, { construct: unavailable, get: unavailable });
export const ipcMain = new Proxy({}, { get: unavailable });
export const ipcRenderer = new Proxy({}, { get: unavailable });
export const contextBridge = new Proxy({}, { get: unavailable });
export const dialog = new Proxy({}, { get: unavailable });
export const Menu = new Proxy({}, { get: unavailable });
export const session = new Proxy({}, { get: unavailable });
export const shell = new Proxy({}, { get: unavailable });
export const screen = new Proxy({}, { get: unavailable });
export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, dialog, Menu, session, shell, screen };
