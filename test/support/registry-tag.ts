// A tag in the rig's local registry that tests move between images (a "moved tag": same name, new
// digest), without leaving local copies behind.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const docker = (...args: string[]) => exec('docker', args);

/** Points the registry tag `target` at `source`'s image; no local tag is left. */
export async function pushImageAs(source: string, target: string): Promise<void> {
  await docker('tag', source, target);
  await docker('push', target);
  await docker('rmi', target);
}

/** Removes the local tag `target` and the `repo@sha256` references a pull of it leaves (listed as <none>). */
export async function removeLocalImage(target: string): Promise<void> {
  const repository = target.slice(0, target.lastIndexOf(':'));
  const { stdout } = await docker('images', '--digests', '--format', '{{.Repository}}@{{.Digest}}', repository).catch(() => ({ stdout: '' }));
  for (const reference of [target, ...stdout.split('\n').filter((line) => line.includes('@sha256:'))]) await docker('rmi', reference).catch(() => undefined);
}
