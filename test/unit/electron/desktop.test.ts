import { describe, expect, it, vi } from 'vitest';
import type { ShellOutput } from '../../../shared/debug.js';
import { startDesktop } from '../../../main/electron/desktop.js';
import { CHANNELS } from '../../../main/electron/channels.js';
import { createFakeApi } from '../../support/fake-api.js';
import { createFakeElectron, fakeWebContents } from './fake-electron.js';

async function start() {
  const electron = createFakeElectron();
  const api = createFakeApi();
  await startDesktop(electron, api, { preload: '/app/preload.cjs', indexHtml: '/app/renderer/index.html' }, 'linux');
  const [entry] = electron.windows;
  if (!entry) throw new Error('no window was created');
  return { electron, api, window: entry.window, options: entry.options, loaded: entry.loaded };
}

describe('desktop host', () => {
  it('opens one isolated, sandboxed window on the built renderer', async () => {
    const { electron, options, loaded } = await start();
    expect(electron.windows).toHaveLength(1);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(loaded).toEqual(['/app/renderer/index.html']);
  });

  it('denies navigation, new windows and permissions, and sets a strict CSP', async () => {
    const { electron, window } = await start();
    const contents = window.webContents as ReturnType<typeof fakeWebContents>;
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.openWindow('https://evil.example/')).toBe('deny');
    expect(electron.permissionRequest('media')).toBe(false);
    expect(electron.permissionCheck('clipboard-read')).toBe(false);
    expect(electron.headers()?.['Content-Security-Policy']?.[0]).toContain("script-src 'self'");
  });

  it('answers API calls from its own window, validated', async () => {
    const { electron, api, window } = await start();
    api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true });
    const call = electron.handlers.get(CHANNELS.call);
    expect(call).toBeDefined();
    await expect(call?.({ sender: window.webContents }, { method: 'doctor', args: [] })).resolves.toMatchObject({ ok: true, value: { reachable: true } });

    await expect(call?.({ sender: window.webContents }, { method: 'startRun', args: [{ jobs: 'x' }] })).resolves.toEqual({ ok: false, message: 'bad request: jobs must be a list of job names' });
    await expect(call?.({ sender: window.webContents }, { method: 'exec', args: [] })).resolves.toEqual({ ok: false, message: 'bad request: unknown method "exec"' });
    expect(api.startRun).not.toHaveBeenCalled();
  });

  it('refuses every message from a window that is not its own', async () => {
    const { electron, api } = await start();
    const stranger = fakeWebContents(999);
    await expect(electron.handlers.get(CHANNELS.call)?.({ sender: stranger }, { method: 'doctor', args: [] })).resolves.toEqual({ ok: false, message: 'refused: not a jobsim window' });
    await expect(electron.handlers.get(CHANNELS.pickFolder)?.({ sender: stranger })).resolves.toBeNull();
    electron.listeners.get(CHANNELS.subscribe)?.({ sender: stranger }, { id: 1, runId: 'r1' });
    expect(api.doctor).not.toHaveBeenCalled();
    expect(api.subscribe).not.toHaveBeenCalled();
  });

  it('streams subscribed events to the window that asked', async () => {
    const { electron, api, window } = await start();
    let deliver: ((events: never[]) => void) | undefined;
    api.subscribe.mockImplementation((_runId, onEvents) => {
      deliver = onEvents as (events: never[]) => void;
      return () => undefined;
    });
    electron.listeners.get(CHANNELS.subscribe)?.({ sender: window.webContents }, { id: 7, runId: 'r1' });
    expect(api.subscribe).toHaveBeenCalledWith('r1', expect.any(Function));
    deliver?.([]);
    expect((window.webContents as ReturnType<typeof fakeWebContents>).sent).toEqual([{ channel: CHANNELS.events, args: [{ id: 7, events: [] }] }]);
    electron.listeners.get(CHANNELS.subscribe)?.({ sender: window.webContents }, { id: 8, runId: '../../etc/passwd' });
    expect(api.subscribe).toHaveBeenCalledTimes(1);
  });

  it('runs shells for its own window, and ends them when the window closes', async () => {
    const { electron, api, window } = await start();
    const session = { write: vi.fn(), resize: vi.fn(), close: vi.fn() };
    let output: ((o: ShellOutput) => void) | undefined;
    api.openShell.mockImplementation((_target, _size, onOutput) => {
      output = onOutput;
      return session;
    });
    const send = (channel: string, payload: unknown) => electron.listeners.get(channel)?.({ sender: window.webContents }, payload);
    send(CHANNELS.shellOpen, { id: 1, target: { runId: 'last', job: 'test' }, size: { cols: 80, rows: 24 } });
    expect(api.openShell).toHaveBeenCalledWith({ runId: 'last', job: 'test' }, { cols: 80, rows: 24 }, expect.any(Function));
    output?.({ kind: 'data', data: 'hi' });
    expect((window.webContents as ReturnType<typeof fakeWebContents>).sent).toContainEqual({ channel: CHANNELS.shellOutput, args: [{ id: 1, output: { kind: 'data', data: 'hi' } }] });
    send(CHANNELS.shellInput, { id: 1, data: 'ls\r' });
    send(CHANNELS.shellResize, { id: 1, size: { cols: 90, rows: 0 } });
    expect(session.write).toHaveBeenCalledWith('ls\r');
    expect(session.resize).not.toHaveBeenCalled();
    send(CHANNELS.shellOpen, { id: 2, target: { runId: '../etc', job: 'test' }, size: { cols: 80, rows: 24 } });
    expect(api.openShell).toHaveBeenCalledTimes(1);
    (window as unknown as { emit(event: string): void }).emit('closed');
    expect(session.close).toHaveBeenCalled();
  });

  it('has a menu with open, run, cancel and find shortcuts', async () => {
    const { electron, window } = await start();
    const items = electron.menu.flatMap((m) => m.submenu ?? []);
    const byLabel = (label: string) => items.find((i) => i.label === label);
    expect(byLabel('Open Project Folder…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Run Pipeline')?.accelerator).toBe('CmdOrCtrl+R');
    expect(byLabel('Find in Log')?.accelerator).toBe('CmdOrCtrl+F');
    byLabel('Cancel Run')?.click?.();
    expect((window.webContents as ReturnType<typeof fakeWebContents>).sent).toContainEqual({ channel: CHANNELS.menu, args: ['cancel'] });
  });
});
