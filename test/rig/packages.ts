// Debian packages the rig needs. Installing is only possible as root on Debian; elsewhere the rig says
// which packages are missing and how to get them. `apt-get update` runs at most once per rig run.

import { existsSync } from 'node:fs';
import { run, say, RigError } from './exec.js';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function isDebian(): boolean {
  return existsSync('/etc/debian_version');
}

export function canInstall(): boolean {
  return isRoot() && isDebian();
}

/** True when the Debian package is installed (dpkg says "install ok installed"). */
export async function isPackageInstalled(name: string): Promise<boolean> {
  const result = await run('dpkg-query', ['-W', '-f=${Status}', name]);
  return result.code === 0 && result.stdout.trim() === 'install ok installed';
}

let updated = false;
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/**
 * Installs the packages in one apt-get call; `why` says what they are for. `announce: false` when
 * the caller reports the installation in its own words.
 */
export async function installPackages(names: readonly string[], why: string, announce = true): Promise<void> {
  if (names.length === 0) return;
  if (!canInstall()) {
    throw new RigError(
      `missing ${names.join(', ')} (${why}) and the rig can only install them as root on Debian`,
      `install them with your package manager (Debian: \`sudo apt-get install ${names.join(' ')}\`), then run the rig again`,
    );
  }
  let updateFailure = '';
  if (!updated) {
    // An offline machine may still install from its package cache, so a failed update is not fatal.
    const update = await run('apt-get', ['update', '-qq'], { env: APT_ENV });
    if (update.code !== 0) updateFailure = update.stderr.trim().split('\n').at(-1) ?? '';
    updated = true;
  }
  const install = await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env: APT_ENV });
  if (install.code !== 0) {
    const tail = install.stderr.trim().split('\n').slice(-6).join('\n    ');
    throw new RigError(
      `apt-get could not install ${names.join(', ')} (${why}):\n    ${tail}${updateFailure ? `\n    (apt-get update had failed too: ${updateFailure})` : ''}`,
      'check the network and /etc/apt/sources.list, or install those packages yourself, then run the rig again',
    );
  }
  if (announce) say(`installed ${names.join(', ')} (${why})`);
}
