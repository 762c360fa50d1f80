// `jobsim cache ls|inspect|rm|prune`: see what the cache volumes hold, who wrote them, and clear them.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type CacheClearResult, type CacheTreeNode, type CacheVolumeInfo } from '../../shared/cache-api.js';
import { formatBytes } from '../../shared/bytes.js';
import { connectDocker } from '../docker/client.js';
import { createCacheBrowser, type CacheBrowser } from '../engine/cache/browser.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

const USAGE = [
  'cache ls [--project P] [--json]',
  'cache inspect VOLUME|KEY [PATH] [--project P] [--depth N] [--json]',
  'cache rm VOLUME|KEY [--project P] | rm --project P | rm --all',
  'cache prune --older-than Nd [--project P]',
].join('\n       jobsim ');

function parse(args: string[], options: ParseArgsConfig['options']): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`cache: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function ago(time: number | undefined, now: number): string {
  if (time === undefined) return '-';
  const minutes = Math.round((now - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function formatCacheTable(caches: CacheVolumeInfo[], now: number): string {
  if (caches.length === 0) return 'no caches\n';
  const rows = caches.map((cache) => [
    cache.project,
    cache.key,
    cache.sizeBytes !== undefined ? formatBytes(cache.sizeBytes) : cache.empty ? 'empty' : '?',
    cache.files !== undefined ? String(cache.files) : '-',
    cache.lastWriter ? `${cache.lastWriter.job} (${cache.lastWriter.runId}, ${ago(cache.lastWriter.time, now)})` : '-',
    ago(cache.lastUsed, now),
    cache.volume,
  ]);
  const header = ['PROJECT', 'KEY', 'SIZE', 'FILES', 'LAST WRITTEN BY', 'LAST USED', 'VOLUME'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function formatTree(node: CacheTreeNode, indent = ''): string {
  const size = node.kind === 'symlink' ? `-> ${node.linkTarget ?? ''}` : formatBytes(node.sizeBytes);
  const name = node.kind === 'dir' ? `${node.name}/` : node.name;
  const own = `${indent}${name}  ${size}\n`;
  return own + (node.children ?? []).map((child) => formatTree(child, `${indent}  `)).join('');
}

function formatCleared(result: CacheClearResult): string {
  const lines = result.removed.map((volume) => `removed ${volume}`);
  for (const failure of result.failed) lines.push(`not removed ${failure.volume}: ${failure.reason}`);
  if (lines.length === 0) lines.push('nothing to remove');
  return `${lines.join('\n')}\n`;
}

async function browser(): Promise<CacheBrowser> {
  const { docker } = await connectDocker();
  return createCacheBrowser(docker);
}

function parseDays(text: string | undefined): number {
  const match = /^(\d+)d?$/.exec(text ?? '');
  if (!match) throw new UsageError('cache prune: --older-than needs a number of days, e.g. --older-than 14d');
  return Number(match[1]);
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { project: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`cache ls: unexpected ${positionals.join(' ')}`);
  const project = stringOption(values, 'project');
  const caches = await (await browser()).list({ fresh: true, ...(project !== undefined ? { project } : {}) });
  process.stdout.write(values.json ? `${JSON.stringify(caches, null, 2)}\n` : formatCacheTable(caches, Date.now()));
  return 0;
}

async function inspect(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { project: { type: 'string' }, depth: { type: 'string' }, json: { type: 'boolean' } });
  const [target, path, ...rest] = positionals;
  if (target === undefined || rest.length > 0) throw new UsageError(`usage: jobsim ${USAGE.split('\n')[1]?.trim() ?? ''}`);
  const cacheBrowser = await browser();
  const volume = await cacheBrowser.find(target, stringOption(values, 'project'));
  const depth = Number(stringOption(values, 'depth') ?? '3');
  if (!Number.isInteger(depth) || depth < 1) throw new UsageError('cache inspect: --depth needs a whole number ≥ 1');
  const tree = await cacheBrowser.tree(volume.name, { path: path ?? '.', depth });
  if (tree.kind === 'file') {
    const file = await cacheBrowser.readFile(volume.name, path ?? '.');
    if (values.json) process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
    else process.stdout.write(file.text + (file.truncated ? `\n… (${formatBytes(file.sizeBytes)} in all; first ${formatBytes(file.text.length)} shown)\n` : ''));
    return 0;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
  else process.stdout.write(`${volume.project}  key ${volume.key}  (${volume.name})\n${formatTree(tree)}`);
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { project: { type: 'string' }, all: { type: 'boolean' } });
  const project = stringOption(values, 'project');
  const cacheBrowser = await browser();
  let result: CacheClearResult;
  if (values.all) {
    if (positionals.length > 0 || project !== undefined) throw new UsageError('cache rm: --all takes nothing else');
    result = await cacheBrowser.clear({ kind: 'all' });
  } else if (positionals.length === 0) {
    if (project === undefined) throw new UsageError('cache rm: say which cache (VOLUME or KEY), --project P, or --all');
    result = await cacheBrowser.clear({ kind: 'project', project });
  } else {
    result = { removed: [], failed: [] };
    for (const target of positionals) {
      const volume = await cacheBrowser.find(target, project);
      const one = await cacheBrowser.clear({ kind: 'volume', volume: volume.name });
      result.removed.push(...one.removed);
      result.failed.push(...one.failed);
    }
  }
  process.stdout.write(formatCleared(result));
  return result.failed.length > 0 ? 1 : 0;
}

async function prune(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'older-than': { type: 'string' }, project: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`cache prune: unexpected ${positionals.join(' ')}`);
  const days = parseDays(stringOption(values, 'older-than'));
  const project = stringOption(values, 'project');
  const result = await (await browser()).clear({ kind: 'older-than', days, ...(project !== undefined ? { project } : {}) });
  process.stdout.write(formatCleared(result));
  return result.failed.length > 0 ? 1 : 0;
}

export const cacheCommand: CliCommand = {
  name: 'cache',
  usage: USAGE,
  summary: 'list, inspect and clear cache volumes',
  async run(args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'ls':
      case 'list':
        return list(rest);
      case 'inspect':
        return inspect(rest);
      case 'rm':
        return remove(rest);
      case 'prune':
        return prune(rest);
      default:
        throw new UsageError(`usage: jobsim ${USAGE}`);
    }
  },
};
