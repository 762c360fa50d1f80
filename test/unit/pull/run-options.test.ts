import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_POOL } from '../../../main/engine/pull/pool.js';
import { imageRunOptions } from '../../../main/engine/pull/run-options.js';

describe('imageRunOptions', () => {
  it('keeps host[:port] of a mirror, also when pasted as a URL', async () => {
    expect(await imageRunOptions({ registryMirror: 'https://mirror.example.com:5000/' })).toEqual({ registryMirror: 'mirror.example.com:5000' });
    await expect(imageRunOptions({ registryMirror: 'not a host' })).rejects.toThrow('--registry-mirror: "not a host" is not a registry host');
  });

  it('checks the docker config dir and selects a pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobsim-runopts-'));
    try {
      expect(await imageRunOptions({ dockerConfig: dir, pool: 'public' })).toEqual({ dockerConfigDir: dir, pool: PUBLIC_POOL });
      await expect(imageRunOptions({ dockerConfig: join(dir, 'nope') })).rejects.toThrow('is not a directory');
      await expect(imageRunOptions({ pools: join(dir, 'pools.json') })).rejects.toThrow('--pools FILE needs --pool NAME');
      await expect(imageRunOptions({ pool: 'privat' })).rejects.toThrow('unknown worker pool "privat"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns nothing for no flags', async () => {
    expect(await imageRunOptions({})).toEqual({});
  });
});
