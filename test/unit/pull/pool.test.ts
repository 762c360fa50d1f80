import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowingRegistryRule, checkPoolPrivateImage, checkPoolRegistry, loadPool, parsePools, PUBLIC_POOL, selectPool } from '../../../main/engine/pull/pool.js';
import { InputError } from '../../../main/errors.js';

describe('public pool', () => {
  it.each([
    'docker.io',
    'registry.hub.docker.com',
    'ghcr.io',
    'quay.io',
    'gcr.io',
    'eu.gcr.io',
    'europe-west1-docker.pkg.dev',
    'myregistry.azurecr.io',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    'public.ecr.aws',
    'registry.gitlab.com',
  ])('allows %s', (registry) => {
    expect(allowingRegistryRule(PUBLIC_POOL, registry)).toBeDefined();
  });

  it.each(['127.0.0.1:5000', 'registry.example.com', 'evil-gcr.io', 'azurecr.io.evil.com'])('refuses %s', (registry) => {
    expect(() => checkPoolRegistry(PUBLIC_POOL, `${registry}/x:1`, registry)).toThrow(InputError);
  });

  it('refuses private images and says why', () => {
    expect(() => checkPoolPrivateImage(PUBLIC_POOL, 'ghcr.io/me/private:1', '/home/me/.docker/config.json')).toThrow(/other tenants/);
  });
});

describe('user pools', () => {
  it('parses the documented shape', () => {
    const pools = parsePools(JSON.stringify({ pools: { corp: { registries: ['registry.corp.example'], privateImages: 'allow', shared: true } } }), 'pools.json');
    expect(pools.corp).toEqual({ name: 'corp', registries: ['registry.corp.example'], refusePrivateImages: false, shared: true });
    expect(selectPool('corp', pools).name).toBe('corp');
    expect(selectPool('public', pools)).toBe(PUBLIC_POOL);
  });

  it('names the file and the problem', () => {
    expect(() => parsePools('{"pools": {"a": {"registry": []}}}', 'pools.json')).toThrow('pools.json: pool "a": unknown key "registry"');
    expect(() => parsePools('{"pools": {"a": {"privateImages": "maybe"}}}', 'pools.json')).toThrow('"privateImages" must be "allow" or "refuse"');
    expect(() => parsePools('[]', 'pools.json')).toThrow('expected {"pools"');
    expect(() => selectPool('nope')).toThrow('unknown worker pool "nope" (known: public)');
  });

  it('an empty registry list allows any registry', () => {
    expect(allowingRegistryRule({ name: 'open', registries: [], refusePrivateImages: false, shared: false }, '127.0.0.1:5000')).toBeDefined();
  });
});

describe('loadPool', () => {
  it('reads a pools file and falls back to the built-in pools', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobsim-pools-'));
    try {
      const file = join(dir, 'pools.json');
      writeFileSync(file, JSON.stringify({ pools: { corp: { registries: ['r.corp'], privateImages: 'refuse' } } }));
      expect(await loadPool('corp', file)).toMatchObject({ name: 'corp', refusePrivateImages: true, shared: false });
      expect(await loadPool('public', file)).toBe(PUBLIC_POOL);
      expect(await loadPool('public')).toBe(PUBLIC_POOL);
      await expect(loadPool('corp', join(dir, 'missing.json'))).rejects.toThrow('cannot read pools file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
