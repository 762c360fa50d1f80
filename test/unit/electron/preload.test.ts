import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../shared/wire.js';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn(), off: vi.fn() },
}));

describe('preload', () => {
  it('exposes one function per API operation on window.jobsim, and not ipcRenderer', async () => {
    await import('../../../main/electron/preload.js');
    const bridge = exposed.jobsim as Record<string, unknown>;
    expect(Object.keys(exposed)).toEqual(['jobsim']);
    for (const method of API_METHODS) expect(typeof bridge[method]).toBe('function');
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'onMenu', 'pickFolder'].sort());
    expect(Object.values(bridge).some((v) => typeof v === 'object')).toBe(false);
  });

  it('turns an error reply into a thrown error that keeps the problems', async () => {
    await import('../../../main/electron/preload.js');
    const bridge = exposed.jobsim as { openProject(dir: string): Promise<unknown> };
    const problems = [{ message: 'bad', where: { file: 'f', line: 1, col: 1 } }];
    invoke.mockResolvedValueOnce({ ok: false, message: 'f:1:1: bad', problems });
    await expect(bridge.openProject('/p')).rejects.toMatchObject({ message: 'f:1:1: bad', problems });
  });
});
