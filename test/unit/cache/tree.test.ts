import { describe, expect, it } from 'vitest';
import { cacheCommand, formatCacheTable, formatTree } from '../../../main/cli/cache.js';
import { buildTree, parseTreeListing } from '../../../main/engine/cache/tree.js';

const listing = [
  'SIZES',
  '3000\t./vendor/lib/blob',
  '7096\t./vendor/lib',
  '11\t./vendor/link',
  '11203\t./vendor',
  '6\t./notes.txt',
  '15305\t.',
  'DIRS',
  '.',
  './vendor',
  './vendor/lib',
  'LINKS',
  './vendor/link\t/etc/passwd',
  '',
].join('\n');

describe('cache tree', () => {
  it('nests du/find output, directories first, links with their target', () => {
    const { missing, entries } = parseTreeListing(listing);
    expect(missing).toBe(false);
    const tree = buildTree('.', entries);
    expect(tree).toMatchObject({ path: '.', kind: 'dir', sizeBytes: 15305 });
    expect(tree.children?.map((c) => c.name)).toEqual(['vendor', 'notes.txt']);
    const vendor = tree.children?.[0];
    expect(vendor?.children?.map((c) => [c.name, c.kind, c.linkTarget])).toEqual([
      ['lib', 'dir', undefined],
      ['link', 'symlink', '/etc/passwd'],
    ]);
    expect(formatTree(tree)).toBe('./  15 KB\n  vendor/  11 KB\n    lib/  6.9 KB\n      blob  2.9 KB\n    link  -> /etc/passwd\n  notes.txt  6 B\n');
  });

  it('roots the tree at a sub-path and reports missing or empty caches', () => {
    const sub = parseTreeListing('SIZES\n3000\tvendor/lib/blob\n7096\tvendor/lib\nDIRS\nvendor/lib\nLINKS\n');
    expect(buildTree('vendor/lib', sub.entries).children?.map((c) => c.path)).toEqual(['vendor/lib/blob']);
    expect(parseTreeListing('MISSING\n').missing).toBe(true);
    expect(buildTree('.', parseTreeListing('EMPTY\n').entries)).toEqual({ path: '.', name: '.', kind: 'dir', sizeBytes: 0, children: [] });
  });

  it('prints the cache table', () => {
    const now = 1_700_000_000_000;
    const table = formatCacheTable(
      [{ project: 'g/app', key: 'main', volume: 'jobsim-cache-g-app-main-1', storage: 'volume', sizeBytes: 2048, files: 3, created: now, empty: false, lastUsed: now - 3_600_000, lastWriter: { runId: 'r9', job: 'build', time: now - 7_200_000 } }],
      now,
    );
    expect(table).toBe(
      'PROJECT  KEY   SIZE    FILES  LAST WRITTEN BY      LAST USED  VOLUME\n' + 'g/app    main  2.0 KB  3      build (r9, 2 h ago)  1 h ago    jobsim-cache-g-app-main-1\n',
    );
  });

  it('rejects bad CLI arguments before touching Docker', async () => {
    await expect(cacheCommand.run(['prune', '--older-than', 'soon'])).rejects.toThrow('--older-than needs a number of days');
    await expect(cacheCommand.run(['prune'])).rejects.toThrow('--older-than needs a number of days');
    await expect(cacheCommand.run(['bogus'])).rejects.toThrow('usage: jobsim cache ls');
    await expect(cacheCommand.run(['ls', '--nope'])).rejects.toThrow("Unknown option '--nope'");
  });
});
