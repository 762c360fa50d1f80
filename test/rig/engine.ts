// A Docker engine that answers. If none does and we are root on Debian: install docker.io when dockerd
// is missing, start dockerd in the background (log in a file) and wait for it, bounded.

import { existsSync, readFileSync } from 'node:fs';
import { DOCKERD_LOG } from './constants.js';
import { engineAnswers, engineStatus } from './docker-cli.js';
import { RigError, run, say, startDetached, waitFor } from './exec.js';
import { canInstall, installPackages, isRoot } from './packages.js';

const START_TIMEOUT_MS = 60_000;

export type EngineAction = 'already-up' | 'started' | 'installed-and-started';

async function onPath(command: string): Promise<boolean> {
  return (await run('sh', ['-c', `command -v ${command}`])).code === 0;
}

function logTail(): string {
  if (!existsSync(DOCKERD_LOG)) return '';
  return readFileSync(DOCKERD_LOG, 'utf8').trim().split('\n').slice(-6).join('\n    ');
}

export async function ensureEngine(): Promise<EngineAction> {
  const hasCli = await onPath('docker');
  const status = hasCli ? await engineStatus() : { answers: false, detail: '' };
  if (status.answers) return 'already-up';
  if (/permission denied/i.test(status.detail)) {
    throw new RigError(
      'a Docker engine is running but this user may not use its socket',
      'add yourself to the docker group (`sudo usermod -aG docker $USER`, then log in again), or run the rig as root',
    );
  }

  if (process.env.DOCKER_HOST) {
    throw new RigError(
      `no Docker engine answered at DOCKER_HOST=${process.env.DOCKER_HOST}`,
      'start that engine, or unset DOCKER_HOST to let the rig use (and if needed start) the local one',
    );
  }
  if (!canInstall()) {
    const why = !isRoot() ? 'the rig is not running as root' : 'this is not Debian';
    throw new RigError(
      `no Docker engine answered, and the rig cannot start one (${why})`,
      'start Docker yourself (e.g. `sudo systemctl start docker`, or open Docker Desktop), check that `docker info` works, then run again',
    );
  }

  let installed = false;
  if (!(await onPath('dockerd')) || !(await onPath('docker'))) {
    // apparmor is only a Recommends, but where the kernel enforces AppArmor dockerd cannot start
    // containers without apparmor_parser ("docker-default profile could not be loaded").
    await installPackages(['docker.io', 'apparmor'], 'the Docker engine', false);
    installed = true;
  }
  const installedText = installed ? 'installed docker.io and ' : '';

  const log = systemdRuns() ? 'journalctl -u docker' : DOCKERD_LOG;
  if (systemdRuns()) {
    // The service manager owns dockerd here; a second, hand-started dockerd would fight it.
    await run('systemctl', ['start', 'docker']);
  } else {
    startDetached('dockerd', [], DOCKERD_LOG);
  }
  const up = await waitFor(() => engineAnswers(2000), START_TIMEOUT_MS, 500);
  if (!up) {
    const tail = systemdRuns() ? '' : logTail();
    throw new RigError(
      `${installedText}started dockerd but it did not answer within ${START_TIMEOUT_MS / 1000} s (log: ${log})${tail ? `:\n    ${tail}` : ''}`,
      'read the log; dockerd needs a kernel with overlay and iptables support (in a container: --privileged)',
    );
  }
  say(`no Docker engine answered; ${installedText}started dockerd (log: ${log})`);
  return installed ? 'installed-and-started' : 'started';
}

/** True when systemd is the running init (its runtime directory exists). */
function systemdRuns(): boolean {
  return existsSync('/run/systemd/system');
}
