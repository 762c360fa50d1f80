// A stand-in for the parts of Electron the desktop host uses, recording what the host did with them.

import { vi } from 'vitest';
import type { BrowserWindowLike, BrowserWindowOptions, ElectronDeps, IpcEventLike, MenuItemOptions, SessionLike, WebContentsLike } from '../../../main/electron/deps.js';

export interface FakeWebContents extends WebContentsLike {
  sent: { channel: string; args: unknown[] }[];
  navigate(url: string): boolean;
  openWindow(url: string): 'deny' | 'allow';
}

export function fakeWebContents(id: number): FakeWebContents {
  let onNavigate: ((event: { preventDefault(): void }, url: string) => void) | undefined;
  let openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | undefined;
  const contents: FakeWebContents = {
    id,
    sent: [],
    send(channel, ...args) {
      contents.sent.push({ channel, args });
    },
    isDestroyed: () => false,
    on(_event, listener) {
      onNavigate = listener;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
    navigate(url) {
      let prevented = false;
      onNavigate?.({ preventDefault: () => (prevented = true) }, url);
      return !prevented;
    },
    openWindow: (url) => openHandler?.({ url }).action ?? 'allow',
  };
  return contents;
}

export interface FakeElectron extends ElectronDeps {
  windows: { options: BrowserWindowOptions; window: BrowserWindowLike; loaded: string[] }[];
  handlers: Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>;
  listeners: Map<string, (event: IpcEventLike, ...args: unknown[]) => void>;
  menu: MenuItemOptions[];
  permissionRequest(permission: string): boolean;
  permissionCheck(permission: string): boolean;
  headers(): Record<string, string[]> | undefined;
}

export function createFakeElectron(): FakeElectron {
  const windows: FakeElectron['windows'] = [];
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
  let requestHandler: Parameters<SessionLike['setPermissionRequestHandler']>[0] = null;
  let checkHandler: Parameters<SessionLike['setPermissionCheckHandler']>[0] = null;
  let headersListener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] | undefined;
  let nextId = 1;

  class FakeBrowserWindow implements BrowserWindowLike {
    webContents = fakeWebContents(nextId++);
    constructor(options: BrowserWindowOptions) {
      windows.push({ options, window: this, loaded: [] });
    }
    async loadFile(file: string) {
      windows.find((w) => w.window === this)?.loaded.push(file);
    }
    async loadURL(url: string) {
      windows.find((w) => w.window === this)?.loaded.push(url);
    }
    getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
    isMaximized = () => false;
    maximize = vi.fn();
    private readonly windowListeners = new Map<string, (() => void)[]>();
    on = vi.fn((event: string, listener: () => void) => {
      this.windowListeners.set(event, [...(this.windowListeners.get(event) ?? []), listener]);
    });
    /** Fires a window event (`close`, `closed`) as Electron would. */
    emit(event: string) {
      for (const listener of this.windowListeners.get(event) ?? []) listener();
    }
    once = vi.fn();
    show = vi.fn();
    static fromWebContents(contents: WebContentsLike) {
      return windows.find((w) => w.window.webContents === contents)?.window ?? null;
    }
  }

  const fake: FakeElectron = {
    windows,
    handlers,
    listeners,
    menu: [],
    app: {
      whenReady: async () => undefined,
      on: vi.fn(),
      quit: vi.fn(),
      getPath: () => '/nonexistent-jobsim-test-userdata',
      requestSingleInstanceLock: () => true,
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel, listener) => void handlers.set(channel, listener),
      on: (channel, listener) => void listeners.set(channel, listener),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler) => void (requestHandler = handler),
        setPermissionCheckHandler: (handler) => void (checkHandler = handler),
        webRequest: { onHeadersReceived: (listener) => void (headersListener = listener) },
      },
    },
    Menu: {
      buildFromTemplate: (template) => {
        fake.menu = template;
        return template;
      },
      setApplicationMenu: vi.fn(),
    },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/me/project'] })) },
    permissionRequest(permission) {
      let granted = true;
      requestHandler?.(null, permission, (value) => (granted = value));
      return granted;
    },
    permissionCheck: (permission) => checkHandler?.(null, permission) ?? true,
    headers() {
      let result: Record<string, string[]> | undefined;
      headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (result = response.responseHeaders));
      return result;
    },
  };
  return fake;
}
