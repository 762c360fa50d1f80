// Worker-pool rules: which registries a pool may pull from and whether private images are allowed.
// The built-in `public` pool reproduces Spacelift's public worker pools. Users define their own pools in a
// JSON file (documented in docs/images.md):
//   { "pools": { "corp": { "registries": ["registry.corp.example", "*.azurecr.io"],
//                          "privateImages": "refuse" | "allow", "shared": true } } }

import { readFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import type { PoolRules } from '../../../shared/plan.js';
import { InputError } from '../../errors.js';
import { ImageRefusedError } from './failure.js';

/** Spacelift's public worker pools: the well-known public registries only, no private images. */
export const PUBLIC_POOL: PoolRules = {
  name: 'public',
  registries: [
    '*.azurecr.io',
    '*.dkr.ecr.*.amazonaws.com',
    'docker.io',
    'docker.pkg.dev',
    '*-docker.pkg.dev',
    'gcr.io',
    '*.gcr.io',
    'ghcr.io',
    'public.ecr.aws',
    'quay.io',
    'registry.gitlab.com',
    'registry.hub.docker.com',
  ],
  refusePrivateImages: true,
  shared: true,
};

export const BUILTIN_POOLS: Record<string, PoolRules> = { public: PUBLIC_POOL };

/** The registry glob that allows `registry`, or undefined. An empty list allows every registry. */
export function allowingRegistryRule(pool: PoolRules, registry: string): string | undefined {
  if (pool.registries.length === 0) return '(any registry)';
  const host = registry.toLowerCase();
  return pool.registries.find((pattern) => picomatch.isMatch(host, pattern.toLowerCase()));
}

/** Throws ImageRefusedError when the pool does not allow pulling from this registry. */
export function checkPoolRegistry(pool: PoolRules, image: string, registry: string): void {
  if (allowingRegistryRule(pool, registry) !== undefined) return;
  throw new ImageRefusedError(
    `image "${image}" comes from ${registry}, which the "${pool.name}" worker pool does not allow; allowed registries: ${pool.registries.join(', ')}`,
    image,
    'pool-registry',
  );
}

/** Throws ImageRefusedError when the pool refuses private images and this one needs credentials. */
export function checkPoolPrivateImage(pool: PoolRules, image: string, credentialSource: string): void {
  if (!pool.refusePrivateImages) return;
  throw new ImageRefusedError(
    `image "${image}" is private (jobsim would authenticate with credentials from ${credentialSource}) and the "${pool.name}" worker pool refuses private images: ` +
      `a shared worker keeps pulled images in its cache, where other tenants' jobs could use them. Use a private worker pool, or a public image`,
    image,
    'pool-private-image',
  );
}

function problem(file: string, message: string): InputError {
  return new InputError(`${file}: ${message}`);
}

/** Parses a pools file (JSON, shape above). Throws InputError naming the file and the pool. */
export function parsePools(text: string, file: string): Record<string, PoolRules> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw problem(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const pools = (parsed as { pools?: unknown } | null)?.pools;
  if (!pools || typeof pools !== 'object' || Array.isArray(pools)) throw problem(file, 'expected {"pools": {"<name>": {...}}}');
  const result: Record<string, PoolRules> = {};
  for (const [name, raw] of Object.entries(pools as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw problem(file, `pool "${name}" must be an object`);
    const entry = raw as Record<string, unknown>;
    const unknown = Object.keys(entry).filter((key) => !['registries', 'privateImages', 'shared'].includes(key));
    if (unknown.length > 0) throw problem(file, `pool "${name}": unknown key "${unknown[0] ?? ''}" (known: registries, privateImages, shared)`);
    const registries = entry.registries ?? [];
    if (!Array.isArray(registries) || !registries.every((item): item is string => typeof item === 'string' && item.length > 0)) {
      throw problem(file, `pool "${name}": "registries" must be a list of registry host patterns`);
    }
    const privateImages = entry.privateImages ?? 'allow';
    if (privateImages !== 'allow' && privateImages !== 'refuse') throw problem(file, `pool "${name}": "privateImages" must be "allow" or "refuse"`);
    const shared = entry.shared ?? false;
    if (typeof shared !== 'boolean') throw problem(file, `pool "${name}": "shared" must be true or false`);
    result[name] = { name, registries, refusePrivateImages: privateImages === 'refuse', shared };
  }
  return result;
}

/** Looks a pool up among the user's pools, then the built-in ones. */
export function selectPool(name: string, userPools: Record<string, PoolRules> = {}): PoolRules {
  const pool = userPools[name] ?? BUILTIN_POOLS[name];
  if (!pool) {
    const known = [...new Set([...Object.keys(userPools), ...Object.keys(BUILTIN_POOLS)])].sort();
    throw new InputError(`unknown worker pool "${name}" (known: ${known.join(', ')})`);
  }
  return pool;
}

/** `--pool NAME [--pools FILE]`: the pool rules for a run. Reads the pools file when one is given. */
export async function loadPool(name: string, poolsFile?: string): Promise<PoolRules> {
  if (!poolsFile) return selectPool(name);
  let text: string;
  try {
    text = await readFile(poolsFile, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read pools file ${poolsFile} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return selectPool(name, parsePools(text, poolsFile));
}
