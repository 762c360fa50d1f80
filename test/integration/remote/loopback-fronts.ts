// Two ways to reach the local engine as if it were on another machine, both on 127.0.0.1 and both made
// by the test: an sshd with a key the test generates (jobsim runs `docker system dial-stdio` through it,
// as `docker -H ssh://…` does), and a TLS listener that demands a client certificate and passes each
// connection through to the engine's socket (what a dockerd started with --tlsverify would offer).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';

const SSHD = '/usr/sbin/sshd';

export const sshdInstalled = (): boolean => existsSync(SSHD);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket: Socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}: ${log()}`);
}

export interface LoopbackSshd {
  port: number;
  /** A HOME whose ~/.ssh holds the client key and the sshd's host key in known_hosts. */
  home: string;
  /** A HOME with the key but an empty known_hosts. */
  homeWithoutHostKey: string;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<LoopbackSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-sshd-'));
  const keygen = (file: string): void => void execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)], { stdio: 'ignore' });
  keygen('host_key');
  keygen('client_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'AllowTcpForwarding no', 'X11Forwarding no', '',
    ].join('\n'),
  );
  // OpenSSH's privilege separation directory; Debian creates it only when the service starts.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let log = '';
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitForPort(port, child, () => log);

  const makeHome = (name: string, knownHosts: string): string => {
    const home = join(dir, name);
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), readFileSync(join(dir, 'client_key')), { mode: 0o600 });
    writeFileSync(join(home, '.ssh', 'known_hosts'), knownHosts);
    return home;
  };
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  return {
    port,
    home: makeHome('home', `[127.0.0.1]:${port} ${hostKey}\n`),
    homeWithoutHostKey: makeHome('stranger', ''),
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoopbackTls {
  port: number;
  /** DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem as the docker CLI expects them. */
  certPath: string;
  stop(): Promise<void>;
}

/** A TLS front for the engine's unix socket: a client without the test's certificate is refused. */
export async function startTlsFront(socketPath = '/var/run/docker.sock'): Promise<LoopbackTls> {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-tlsfront-'));
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=jobsim-test-ca');
  for (const [name, subject] of [['server', '/CN=127.0.0.1'], ['client', '/CN=jobsim-client']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '1', '-extfile', `${name}.ext`);
  }
  const certPath = join(dir, 'client');
  mkdirSync(certPath);
  writeFileSync(join(certPath, 'ca.pem'), readFileSync(join(dir, 'ca.pem')));
  writeFileSync(join(certPath, 'cert.pem'), readFileSync(join(dir, 'client-cert.pem')));
  writeFileSync(join(certPath, 'key.pem'), readFileSync(join(dir, 'client-key.pem')));

  const open = new Set<Socket>();
  const server: TlsServer = createTlsServer(
    { key: readFileSync(join(dir, 'server-key.pem')), cert: readFileSync(join(dir, 'server-cert.pem')), ca: readFileSync(join(dir, 'ca.pem')), requestCert: true, rejectUnauthorized: true,
      // A client ends its half when it has sent a job's script on stdin; the output still has to come back.
      allowHalfOpen: true },
    (client) => {
      const engine = connect({ path: socketPath, allowHalfOpen: true });
      client.pipe(engine).pipe(client);
      // Destroying a socket drops what it has not flushed yet: a job's last log lines. Only errors do that.
      const fail = (): void => (client.destroy(), engine.destroy(), undefined);
      client.on('error', fail);
      engine.on('error', fail);
      client.on('close', () => engine.destroy());
    },
  );
  // Raw connections, handshake finished or not: close() waits for every one of them.
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    certPath,
    async stop() {
      // An engine connection left half-open (an attach whose container is gone) must not hold the test.
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
