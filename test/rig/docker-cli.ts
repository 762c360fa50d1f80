// Talking to the engine through the docker CLI (it honours DOCKER_HOST and the current context).

import { run } from './exec.js';

/** Whether `docker version` reaches a server within the timeout, and if not, what it said. */
export async function engineStatus(timeoutMs = 5000): Promise<{ answers: boolean; detail: string }> {
  const result = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs });
  const answers = result.code === 0 && result.stdout.trim() !== '';
  return { answers, detail: result.stderr.trim().split('\n').at(-1) ?? '' };
}

export async function engineAnswers(timeoutMs = 5000): Promise<boolean> {
  return (await engineStatus(timeoutMs)).answers;
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/**
 * The environment for docker CLI calls that use a throwaway DOCKER_CONFIG: such a config has no
 * current context, so the context's endpoint is pinned through DOCKER_HOST.
 */
export async function dockerEnv(): Promise<NodeJS.ProcessEnv> {
  if (cachedEnv) return cachedEnv;
  cachedEnv = { ...process.env };
  if (!process.env.DOCKER_HOST) {
    const host = await run('docker', ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}']);
    if (host.code === 0 && host.stdout.trim()) cachedEnv.DOCKER_HOST = host.stdout.trim();
  }
  return cachedEnv;
}
