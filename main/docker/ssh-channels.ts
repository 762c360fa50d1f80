// HTTP to a remote engine over SSH: every HTTP connection is one `docker system dial-stdio` channel on a
// shared SSH connection (docker-modem's own ssh support opens a new SSH connection per request: a key
// exchange for every API call made a small pipeline 10× slower). OpenSSH allows 10 sessions per
// connection by default, so a connection carries at most 8 channels and more connections open as needed.
// An idle connection does not keep the process alive.

import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { SshSettings } from './ssh-transport.js';

const CHANNELS_PER_CONNECTION = 8;
const DIAL_COMMAND = 'docker system dial-stdio';

interface Connection {
  client: ssh2.Client;
  socket: Socket;
  ready: Promise<void>;
  /** Open channels (at most CHANNELS_PER_CONNECTION). */
  active: number;
  /** Channels carrying a request now; at 0 the connection no longer keeps the process alive. */
  inUse: number;
  closed: boolean;
}

export interface SshHost {
  host: string;
  port: number;
}

export class SshDialer {
  private readonly connections: Connection[] = [];

  constructor(
    private readonly target: SshHost,
    private readonly settings: SshSettings,
  ) {}

  /** An http.Agent whose connections are SSH channels to the engine. */
  agent(): Agent {
    // Kept alive: each new channel starts a docker CLI process on the far side (~100 ms and more).
    const agent = new Agent({ keepAlive: true, maxFreeSockets: 4 });
    const open = (_options: unknown, callback: (error: Error | null, stream?: Duplex) => void): undefined => {
      this.channel().then(
        (stream) => callback(null, stream),
        (error: Error) => callback(error),
      );
      return undefined;
    };
    (agent as unknown as { createConnection: typeof open }).createConnection = open;
    return agent;
  }

  close(): void {
    for (const connection of this.connections) connection.client.end();
  }

  private connection(): Connection {
    const usable = this.connections.find((c) => !c.closed && c.active < CHANNELS_PER_CONNECTION);
    if (usable) return usable;
    const socket = connect(this.target.port, this.target.host);
    const client = new ssh2.Client();
    const connection: Connection = { client, socket, active: 0, inUse: 0, closed: false, ready: Promise.resolve() };
    connection.ready = new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
    // A refused key or a lost connection fails the pending request; later requests get a new connection.
    connection.ready.catch(() => undefined);
    const forget = (): void => {
      connection.closed = true;
      const index = this.connections.indexOf(connection);
      if (index >= 0) this.connections.splice(index, 1);
    };
    client.on('error', forget);
    client.on('close', forget);
    client.connect({ sock: socket, username: this.settings.username, ...this.settings.sshOptions });
    this.connections.push(connection);
    return connection;
  }

  private async channel(): Promise<Duplex> {
    const connection = this.connection();
    connection.active += 1;
    const inUse = { counted: true };
    const use = (yes: boolean): void => {
      if (inUse.counted === yes) return;
      inUse.counted = yes;
      connection.inUse += yes ? 1 : -1;
      if (connection.inUse === 0) connection.socket.unref();
      else connection.socket.ref();
    };
    connection.inUse += 1;
    connection.socket.ref();
    const release = (): void => {
      connection.active -= 1;
      use(false);
    };
    try {
      await connection.ready;
      const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) => {
        connection.client.exec(DIAL_COMMAND, (error, channel) => (error ? reject(error) : resolve(channel)));
      });
      watchDialErrors(stream, this.target);
      stream.once('close', release);
      return asAgentSocket(stream, use);
    } catch (error) {
      release();
      throw error;
    }
  }
}

/**
 * http.Agent treats its connections as net.Sockets: an idle kept-alive one is unref'd (so it does not keep
 * the process alive) and ref'd again when reused. For a channel that means: the SSH connection under it
 * is unref'd once none of its channels is in use.
 */
function asAgentSocket(stream: ssh2.ClientChannel, use: (yes: boolean) => void): Duplex {
  const socketLike = stream as unknown as Record<string, (...args: unknown[]) => unknown>;
  socketLike.ref = () => (use(true), stream);
  socketLike.unref = () => (use(false), stream);
  socketLike.setKeepAlive = () => stream;
  socketLike.setNoDelay = () => stream;
  socketLike.setTimeout = () => stream;
  return stream;
}

/** `docker` missing or its engine down on the far side: say so instead of "socket hang up". */
function watchDialErrors(stream: ssh2.ClientChannel, target: SshHost): void {
  let stderr = '';
  stream.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString();
  });
  stream.once('exit', (code: number | null) => {
    if (code === 0 || code === null) return;
    const said = stderr.trim().split('\n')[0] ?? '';
    stream.emit('error', new Error(`\`${DIAL_COMMAND}\` on ${target.host} exited with ${code}${said ? `: ${said}` : ''}`));
    stream.destroy();
  });
}
