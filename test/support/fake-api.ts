// A JobsimApi whose every method is a vi.fn(), made from the interface's own method list, so a new
// operation cannot be forgotten here.

import { vi, type Mock } from 'vitest';
import type { JobsimApi } from '../../shared/api.js';
import { API_METHODS } from '../../shared/wire.js';

export type FakeApi = { [K in keyof JobsimApi]: Mock<JobsimApi[K]> };

export function createFakeApi(): FakeApi {
  const api = {} as Record<string, Mock>;
  for (const method of API_METHODS) api[method] = vi.fn();
  const fake = api as unknown as FakeApi;
  fake.subscribe.mockReturnValue(() => undefined);
  fake.listRuns.mockResolvedValue([]);
  fake.listKept.mockResolvedValue([]);
  fake.openShell.mockReturnValue({ write: () => undefined, resize: () => undefined, close: () => undefined });
  return fake;
}
