// The directory tree of a cache for the browser: one `du` and two `find`s in a short-lived container,
// folded here into CacheTreeNodes. Links are listed with their target, never followed.

import { posix } from 'node:path';
import type { CacheTreeNode } from '../../../shared/cache-api.js';
import { shQuote } from '../../docker/cache-shell.js';

export interface TreeEntry {
  path: string;
  sizeBytes: number;
  kind: CacheTreeNode['kind'];
  linkTarget?: string;
}

const MAX_LINES = 20_000;

/** Lists `path` (relative to the current generation's tree) down to `depth` levels. */
export function treeScript(mount: string, path: string, depth: number): string {
  return [
    `[ -s ${mount}/current ] || { echo EMPTY; exit 0; }`,
    `cd ${mount}/gens/$(cat ${mount}/current)/tree || exit 3`,
    `f=${shQuote(path)}`,
    'p=""; for part in $(echo "$f" | tr "/" " "); do [ "$part" = . ] && continue; p="${p:+$p/}$part"; if [ -L "$p" ] && [ "$p" != "$f" ]; then echo MISSING; exit 0; fi; done',
    '[ -e "$f" ] || [ -L "$f" ] || { echo MISSING; exit 0; }',
    `echo SIZES; du -ab -d ${depth} "$f" 2>/dev/null | head -n ${MAX_LINES}`,
    `echo DIRS; find "$f" -maxdepth ${depth} -type d 2>/dev/null | head -n ${MAX_LINES}`,
    `echo LINKS; find "$f" -maxdepth ${depth} -type l 2>/dev/null | head -n ${MAX_LINES} | while IFS= read -r l; do printf '%s\\t%s\\n' "$l" "$(readlink "$l")"; done`,
  ].join('\n');
}

function clean(path: string): string {
  const normal = posix.normalize(path);
  return normal.startsWith('./') ? normal.slice(2) : normal;
}

export function parseTreeListing(stdout: string): { missing: boolean; entries: TreeEntry[] } {
  const lines = stdout.split('\n');
  if (lines[0] === 'MISSING') return { missing: true, entries: [] };
  if (lines[0] === 'EMPTY') return { missing: false, entries: [] };
  const sizes = new Map<string, number>();
  const dirs = new Set<string>();
  const links = new Map<string, string>();
  let section = '';
  for (const line of lines) {
    if (line === 'SIZES' || line === 'DIRS' || line === 'LINKS') {
      section = line;
      continue;
    }
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (section === 'SIZES' && tab > 0) sizes.set(clean(line.slice(tab + 1)), Number(line.slice(0, tab)));
    else if (section === 'DIRS') dirs.add(clean(line));
    else if (section === 'LINKS' && tab > 0) links.set(clean(line.slice(0, tab)), line.slice(tab + 1));
  }
  const paths = new Set([...sizes.keys(), ...dirs, ...links.keys()]);
  const entries = [...paths].map((path): TreeEntry => {
    const target = links.get(path);
    const kind: TreeEntry['kind'] = target !== undefined ? 'symlink' : dirs.has(path) ? 'dir' : sizes.has(path) ? 'file' : 'other';
    return { path, sizeBytes: sizes.get(path) ?? 0, kind, ...(target !== undefined ? { linkTarget: target } : {}) };
  });
  return { missing: false, entries };
}

/** Nests entries under `root` (`.` for the whole cache); children sorted, directories first. */
export function buildTree(root: string, entries: TreeEntry[]): CacheTreeNode {
  const rootPath = clean(root);
  const nodes = new Map<string, CacheTreeNode>();
  for (const entry of entries) {
    nodes.set(entry.path, {
      path: entry.path,
      name: entry.path === '.' ? '.' : posix.basename(entry.path),
      kind: entry.kind,
      sizeBytes: entry.sizeBytes,
      ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}),
      ...(entry.kind === 'dir' ? { children: [] } : {}),
    });
  }
  const rootNode = nodes.get(rootPath) ?? { path: rootPath, name: rootPath === '.' ? '.' : posix.basename(rootPath), kind: 'dir', sizeBytes: 0, children: [] };
  for (const node of nodes.values()) {
    if (node.path === rootPath) continue;
    const parent = nodes.get(posix.dirname(node.path)) ?? (posix.dirname(node.path) === rootPath ? rootNode : undefined);
    parent?.children?.push(node);
  }
  const order = (a: CacheTreeNode, b: CacheTreeNode): number => Number(b.kind === 'dir') - Number(a.kind === 'dir') || a.name.localeCompare(b.name);
  for (const node of [rootNode, ...nodes.values()]) node.children?.sort(order);
  return rootNode;
}
