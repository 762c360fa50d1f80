// "Save secrets" from the page, through the API `jobsim serve` carries (the real one, on a real
// socket): the file is written only in the project the page opened, only when that folder exists, and
// never through a symlink for `.jobsim` or the file itself.
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../shared/wire.js';
import { createDefaultApi } from '../../../main/app/index.js';
import { startServer, type RunningServer } from '../../../main/server/index.js';

const TOKEN = 'secrets-test-token-0123456789';
const CI = ['test:', '  image: busybox:1.36', '  script: [echo hi]', ''].join('\n');

let base: string;
let server: RunningServer;
let socket: WebSocket;
let nextId = 1;

async function newProject(name: string): Promise<string> {
  const dir = path.join(base, name);
  await mkdir(dir);
  await writeFile(path.join(dir, '.gitlab-ci.yml'), CI);
  return dir;
}

async function call(method: string, ...args: unknown[]): Promise<unknown> {
  const id = nextId++;
  const answer = new Promise<ServerMessage>((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
  socket.send(JSON.stringify({ kind: 'call', id, method, args }));
  const message = await answer;
  if (message.kind === 'error') throw new Error(message.message);
  return (message as { value: unknown }).value;
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'jobsim-save-secrets-'));
  const staticDir = path.join(base, 'static');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html>');
  server = await startServer({ api: createDefaultApi(), staticDir, host: '127.0.0.1', port: 0, token: TOKEN });
  socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe('saveSecrets through the served API', () => {
  it('writes .jobsim/secrets.env (0600, git-ignored) in the opened project', async () => {
    const project = await newProject('opened');
    expect(await call('openProject', project)).toMatchObject({ ok: true });
    const { file } = (await call('saveSecrets', project, { TOKEN_A: 'one two' })) as { file: string };
    expect(file).toBe(path.join(project, '.jobsim', 'secrets.env'));
    expect(await readFile(file, 'utf8')).toContain('TOKEN_A="one two"');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(project, '.jobsim', '.gitignore'), 'utf8')).toContain('*');
    // A second save keeps what was there.
    await call('saveSecrets', project, { TOKEN_B: 'b' });
    expect(await readFile(file, 'utf8')).toMatch(/TOKEN_A="one two"\nTOKEN_B="b"/);
  });

  it('refuses a folder the page did not open, and creates nothing there', async () => {
    const other = await newProject('never-opened');
    await expect(call('saveSecrets', other, { A: '1' })).rejects.toThrow(/only in the project that is open/);
    expect(existsSync(path.join(other, '.jobsim'))).toBe(false);
    const plain = path.join(base, 'plain-folder');
    await mkdir(plain);
    await expect(call('saveSecrets', plain, { A: '1' })).rejects.toThrow(/only in the project that is open/);
    expect(existsSync(path.join(plain, '.jobsim'))).toBe(false);
  });

  it('refuses a folder that does not exist, and does not create it', async () => {
    const missing = path.join(base, 'missing', 'deeper');
    await expect(call('saveSecrets', missing, { A: '1' })).rejects.toThrow(/does not exist/);
    expect(existsSync(path.join(base, 'missing'))).toBe(false);
  });

  it('refuses an opened project that was removed since, and does not recreate it', async () => {
    const project = await newProject('removed-later');
    expect(await call('openProject', project)).toMatchObject({ ok: true });
    await rm(project, { recursive: true });
    await expect(call('saveSecrets', project, { A: '1' })).rejects.toThrow(/does not exist/);
    expect(existsSync(project)).toBe(false);
  });

  it('never writes through a .jobsim that is a symlink', async () => {
    const project = await newProject('jobsim-link');
    const elsewhere = path.join(base, 'elsewhere-dir');
    await mkdir(elsewhere);
    await symlink(elsewhere, path.join(project, '.jobsim'));
    expect(await call('openProject', project)).toMatchObject({ ok: true });
    await expect(call('saveSecrets', project, { A: '1' })).rejects.toThrow(/\.jobsim is a symlink/);
    expect(existsSync(path.join(elsewhere, 'secrets.env'))).toBe(false);
    expect(existsSync(path.join(elsewhere, '.gitignore'))).toBe(false);
  });

  it('never writes through a secrets.env (or .gitignore) that is a symlink', async () => {
    const project = await newProject('file-link');
    const target = path.join(base, 'outside-file.txt');
    await writeFile(target, 'KEEP=precious\n');
    await mkdir(path.join(project, '.jobsim'));
    await symlink(target, path.join(project, '.jobsim', 'secrets.env'));
    expect(await call('openProject', project)).toMatchObject({ ok: true });
    await expect(call('saveSecrets', project, { A: '1' })).rejects.toThrow(/secrets\.env is a symlink/);
    expect(await readFile(target, 'utf8')).toBe('KEEP=precious\n');
    expect((await lstat(path.join(project, '.jobsim', 'secrets.env'))).isSymbolicLink()).toBe(true);

    const ignoreProject = await newProject('ignore-link');
    await mkdir(path.join(ignoreProject, '.jobsim'));
    await symlink(target, path.join(ignoreProject, '.jobsim', '.gitignore'));
    expect(await call('openProject', ignoreProject)).toMatchObject({ ok: true });
    await expect(call('saveSecrets', ignoreProject, { A: '1' })).rejects.toThrow(/\.gitignore is a symlink/);
    expect(await readFile(target, 'utf8')).toBe('KEEP=precious\n');
  });

  it('accepts the opened project under another spelling of its path, and refuses one that leaves it', async () => {
    const project = await newProject('spelled');
    expect(await call('openProject', project)).toMatchObject({ ok: true });
    await expect(call('saveSecrets', `${project}/./`, { A: '1' })).resolves.toMatchObject({ file: path.join(project, '.jobsim', 'secrets.env') });
    const sibling = await newProject('sibling');
    await expect(call('saveSecrets', `${project}/../sibling`, { A: '1' })).rejects.toThrow(/only in the project that is open/);
    expect(existsSync(path.join(sibling, '.jobsim'))).toBe(false);
  });
});
