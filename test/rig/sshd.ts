// The remote-engine tests start their own sshd on 127.0.0.1 (test/integration/remote/). Debian's
// openssh-server package also starts and enables the system's sshd on port 22, all interfaces: when the
// rig installed the package, it stops and disables that service again, so no test leaves a door open.

import { existsSync } from 'node:fs';
import { run, say } from './exec.js';

const SSHD_BINARY = '/usr/sbin/sshd';

export function missingSshdPackages(): string[] {
  return existsSync(SSHD_BINARY) ? [] : ['openssh-server'];
}

export async function disablePackagedSshService(): Promise<void> {
  if (existsSync('/run/systemd/system')) {
    const stop = await run('systemctl', ['disable', '--now', 'ssh.service', 'ssh.socket']);
    if (stop.code === 0) say("stopped and disabled the openssh-server package's own sshd (the remote-engine tests run their own on 127.0.0.1)");
    return;
  }
  if (existsSync('/etc/init.d/ssh')) {
    await run('/etc/init.d/ssh', ['stop']);
    await run('update-rc.d', ['ssh', 'disable']);
  }
}
