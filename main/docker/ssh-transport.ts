// Reaching an engine at ssh://[user@]host[:port] the way `docker -H ssh://…` does: an SSH session runs
// `docker system dial-stdio` on the remote machine (docker-modem does this through ssh2). Keys come from
// the user's ssh-agent (SSH_AUTH_SOCK) and their default identity files; the host key must be in their
// known_hosts files. Nothing is ever written to ~/.ssh.

import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { SshDialer } from './ssh-channels.js';
import { checkHostKey, knownHostsName, type HostKeyVerdict } from './known-hosts.js';

/** OpenSSH's default identities, in the order it tries them. */
const IDENTITY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const READY_TIMEOUT_MS = 10_000;

export interface SshTarget {
  host: string;
  port: number;
  user?: string;
}

export interface SshSettings {
  username: string;
  sshOptions: {
    agent?: string;
    privateKey?: Buffer;
    readyTimeout: number;
    hostVerifier: (key: Buffer) => boolean;
  };
  /** Why the last connection's host key was refused, for the error message. */
  refusal(): string | undefined;
  /** Opens the SSH channels the HTTP requests travel through. */
  dialer: SshDialer;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first default identity that opens without a passphrase (ssh-agent holds the others). */
function defaultIdentity(homeDir: string): Buffer | undefined {
  for (const name of IDENTITY_FILES) {
    const text = readOrUndefined(`${homeDir}/.ssh/${name}`);
    if (text === undefined) continue;
    const parsed = ssh2.utils.parseKey(text);
    if (!(parsed instanceof Error)) return Buffer.from(text);
  }
  return undefined;
}

function refusalText(verdict: HostKeyVerdict, target: SshTarget): string | undefined {
  const name = knownHostsName(target.host, target.port);
  if (verdict.kind === 'unknown') return `the SSH host key of ${name} is not in ~/.ssh/known_hosts`;
  if (verdict.kind === 'changed') return `the SSH host key of ${name} is not the one in ~/.ssh/known_hosts (did the host change, or is someone in between?)`;
  if (verdict.kind === 'revoked') return `the SSH host key of ${name} is marked @revoked in known_hosts`;
  return undefined;
}

export function sshSettings(target: SshTarget, env: Readonly<Record<string, string | undefined>>, homeDir: string): SshSettings {
  let refused: string | undefined;
  const knownHosts = [readOrUndefined(`${homeDir}/.ssh/known_hosts`) ?? '', readOrUndefined('/etc/ssh/ssh_known_hosts') ?? ''];
  const privateKey = defaultIdentity(homeDir);
  const settings: Omit<SshSettings, 'dialer'> = {
    username: target.user ?? env.USER ?? env.LOGNAME ?? 'root',
    sshOptions: {
      ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
      ...(privateKey ? { privateKey } : {}),
      readyTimeout: READY_TIMEOUT_MS,
      hostVerifier: (key) => {
        const verdict = checkHostKey(knownHosts, target.host, target.port, key);
        refused = refusalText(verdict, target);
        return verdict.kind === 'known';
      },
    },
    refusal: () => refused,
  };
  const withDialer = settings as SshSettings;
  withDialer.dialer = new SshDialer(target, withDialer);
  return withDialer;
}
