// Puts the shell image into both local registries as <registry>/jobsim/shell:1, so pull tests have
// something to pull. Skips a registry whose copy already has the local image's ID (the manifest's
// config digest is the image ID), so an unchanged rig pushes nothing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUTH_REGISTRY,
  AUTH_REGISTRY_CREDENTIALS,
  OPEN_REGISTRY,
  REGISTRY_SHELL_REPO,
  TEST_IMAGES,
} from './constants.js';
import { run, runOk, say } from './exec.js';
import { basicAuth } from './registries.js';
import { dockerEnv } from './docker-cli.js';

const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** The config digest (= image ID) of the manifest the registry holds for the repo, if any. */
export async function registryImageId(registry: string, repoAndTag: string, authorization?: string): Promise<string | undefined> {
  const [repo, tag] = repoAndTag.split(':');
  try {
    const response = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
      headers: { accept: MANIFEST_V2, ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) return undefined;
    const manifest = (await response.json()) as { config?: { digest?: unknown } };
    return typeof manifest.config?.digest === 'string' ? manifest.config.digest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A push (or a pull by digest) leaves `<registry>/jobsim/shell@sha256:…` on the local image. With it
 * the daemon can answer a later pull by digest without asking the registry, so drop it too.
 */
export async function dropDigestReferences(registry: string): Promise<void> {
  const repo = `${registry}/${REGISTRY_SHELL_REPO.split(':')[0]}@`;
  const digests = await run('docker', ['image', 'inspect', '--format', '{{json .RepoDigests}}', TEST_IMAGES.shell]);
  if (digests.code !== 0) return;
  const references = (JSON.parse(digests.stdout) as string[] | null) ?? [];
  for (const reference of references.filter((r) => r.startsWith(repo))) await run('docker', ['rmi', '--no-prune', reference]);
}

async function pushTo(registry: string, withAuth: boolean, localId: string): Promise<void> {
  const { username, password } = AUTH_REGISTRY_CREDENTIALS;
  const authorization = withAuth ? basicAuth(username, password) : undefined;
  if ((await registryImageId(registry, REGISTRY_SHELL_REPO, authorization)) === localId) return;

  const target = `${registry}/${REGISTRY_SHELL_REPO}`;
  // A throwaway client config, so the test login never lands in the user's ~/.docker/config.json.
  const configDir = mkdtempSync(join(tmpdir(), 'jobsim-rig-docker-'));
  const env = { ...(await dockerEnv()), DOCKER_CONFIG: configDir };
  try {
    await runOk('docker', ['tag', TEST_IMAGES.shell, target]);
    if (withAuth) {
      await runOk('docker', ['login', registry, '--username', username, '--password-stdin'], { env, input: password });
    }
    await runOk('docker', ['push', target], { env, timeoutMs: 120_000 });
  } finally {
    // Drop the local tag again: pull tests must find the image absent locally.
    await run('docker', ['rmi', '--no-prune', target]);
    await dropDigestReferences(registry);
    rmSync(configDir, { recursive: true, force: true });
  }
  say(`pushed ${TEST_IMAGES.shell} to ${target}`);
}

export async function seedRegistries(): Promise<void> {
  const localId = (await runOk('docker', ['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGES.shell])).trim();
  await pushTo(OPEN_REGISTRY, false, localId);
  await pushTo(AUTH_REGISTRY, true, localId);
}
