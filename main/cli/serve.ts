// `jobsim serve`: the UI in a browser, on loopback, behind a token.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDefaultApi } from '../app/index.js';
import { EnvironmentError } from '../errors.js';
import { isLoopbackHost } from '../server/access.js';
import { startServer } from '../server/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

function rendererDir(): string {
  // dist/cli.js → dist/renderer
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, 'renderer'), path.join(here, '..', 'dist', 'renderer'), path.join(here, '..', '..', 'dist', 'renderer')]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  throw new EnvironmentError('the built UI (dist/renderer) is missing', 'run `npm run build` in the jobsim folder');
}

function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  void import('node:child_process').then(({ spawn }) => {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`jobsim: could not start ${opener}; open the URL yourself\n`));
    child.unref();
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [-C DIR] [--port N] [--host H] [--open]',
  summary: 'the UI in your browser (loopback only unless --host)',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          port: { type: 'string', default: '7411' },
          host: { type: 'string' },
          open: { type: 'boolean', default: false },
          C: { type: 'string', short: 'C' },
        },
      }));
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}; usage: jobsim ${serveCommand.usage}`);
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
    const host = values.host ?? '127.0.0.1';
    if (!isLoopbackHost(host)) {
      process.stderr.write(`jobsim: WARNING: listening on ${host}: anyone who can reach this address and has the token can run containers on your Docker engine\n`);
    }
    const projectDir = path.resolve(values.C ?? process.cwd());
    const api = createDefaultApi();
    let server;
    try {
      server = await startServer({ api, staticDir: rendererDir(), host, port, allowRemote: values.host !== undefined });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new EnvironmentError(`port ${port} is already in use`, 'pick another with --port, or --port 0 for any free one');
      throw error;
    }
    const url = `${server.url}&project=${encodeURIComponent(projectDir)}`;
    process.stdout.write(`jobsim: serving the UI at ${url}\n`);
    if (values.open) openInBrowser(url);
    // First Ctrl-C: cancel the runs still going (after_script, cleanup) and stop. Second: kill them at
    // once, still cleaning up. Third: leave now.
    let signals = 0;
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (): void => {
        signals++;
        if (signals === 1) {
          process.stderr.write('jobsim: stopping: canceling runs still going and cleaning up (Ctrl-C again to kill them at once)\n');
          resolve();
        } else if (signals === 2) {
          void api.shutdown(true);
        } else {
          process.stderr.write('jobsim: leaving now; run `jobsim gc` later to remove what was left behind\n');
          process.exit(130);
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await stopped;
    await server.close();
    await api.shutdown();
    return 0;
  },
};
