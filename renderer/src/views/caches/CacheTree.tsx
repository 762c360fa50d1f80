// One cache's contents as a tree: folders load when expanded, symlinks are shown with their target and
// never followed. Keyboard: arrows move and open/close folders, Enter toggles, Home/End jump.

import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { type CacheTreeNode } from '../../../../shared/cache-api.js';
import { formatBytes } from '../../../../shared/bytes.js';
import { useServices } from '../../state/context.js';
import { errorText, LoadError, Loading, useLoad } from '../common/LoadState.js';

type Fetched = CacheTreeNode[] | 'loading' | { error: string };

interface VisibleRow {
  node: CacheTreeNode;
  level: number;
  parent?: string;
  children?: Fetched;
}

/** The rows a reader sees: each open folder's children right below it. */
function visibleRows(root: CacheTreeNode, expanded: Set<string>, fetched: Record<string, Fetched>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (nodes: CacheTreeNode[], level: number, parent: string): void => {
    for (const node of nodes) {
      // The listing stops at a depth and gives deeper folders no children: those load when opened.
      const children = node.kind === 'dir' ? (node.children?.length ? node.children : fetched[node.path]) : undefined;
      rows.push({ node, level, parent, children });
      if (node.kind === 'dir' && expanded.has(node.path) && Array.isArray(children)) walk(children, level + 1, node.path);
    }
  };
  walk(root.children ?? [], 1, root.path);
  return rows;
}

function sortedChildren(node: CacheTreeNode): CacheTreeNode {
  const children = node.children && [...node.children].sort((a, b) => (a.kind === 'dir') === (b.kind === 'dir') ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1);
  return { ...node, ...(children ? { children: children.map(sortedChildren) } : {}) };
}

export function CacheTree({ volume, label }: { volume: string; label: string }) {
  const { api } = useServices();
  const load = useCallback(async () => sortedChildren(await api.inspectCache(volume)), [api, volume]);
  const root = useLoad(load);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [fetched, setFetched] = useState<Record<string, Fetched>>({});
  const [focused, setFocused] = useState<string>();
  const treeRef = useRef<HTMLUListElement>(null);

  if (root.loading && !root.data) return <Loading what="the cache contents" />;
  if (root.error || !root.data) return <LoadError what="the cache contents" message={root.error ?? 'no answer'} onRetry={root.reload} />;
  const tree = root.data;
  if ((tree.children ?? []).length === 0) return <p className="empty">This cache holds no files: the last job that saved it found nothing under its `cache:paths`.</p>;

  const rows = visibleRows(tree, expanded, fetched);
  const current = rows.find((row) => row.node.path === focused) ?? rows[0];

  const toggle = (row: VisibleRow, open = !expanded.has(row.node.path)): void => {
    const path = row.node.path;
    if (row.node.kind !== 'dir') return;
    setExpanded((before) => {
      const next = new Set(before);
      if (open) next.add(path);
      else next.delete(path);
      return next;
    });
    if (!open || row.children !== undefined) return;
    setFetched((before) => ({ ...before, [path]: 'loading' }));
    api.inspectCache(volume, path).then(
      (node) => setFetched((before) => ({ ...before, [path]: sortedChildren(node).children ?? [] })),
      (failure: unknown) => setFetched((before) => ({ ...before, [path]: { error: errorText(failure) } })),
    );
  };

  const focusPath = (path: string | undefined): void => {
    if (path === undefined) return;
    setFocused(path);
    const items = treeRef.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [];
    for (const item of items) if (item.dataset.path === path) item.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, row: VisibleRow, index: number): void => {
    const open = expanded.has(row.node.path);
    switch (event.key) {
      case 'ArrowDown':
        focusPath(rows[index + 1]?.node.path);
        break;
      case 'ArrowUp':
        focusPath(rows[index - 1]?.node.path);
        break;
      case 'Home':
        focusPath(rows[0]?.node.path);
        break;
      case 'End':
        focusPath(rows[rows.length - 1]?.node.path);
        break;
      case 'ArrowRight':
        if (row.node.kind === 'dir' && !open) toggle(row, true);
        else if (open) focusPath(rows[index + 1]?.parent === row.node.path ? rows[index + 1]?.node.path : undefined);
        break;
      case 'ArrowLeft':
        if (open) toggle(row, false);
        else if (row.parent !== tree.path) focusPath(row.parent);
        break;
      case 'Enter':
      case ' ':
        toggle(row);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className="cache-tree">
      <p className="muted">
        {formatBytes(tree.sizeBytes)} in all. Symbolic links are shown with their target, never followed.
      </p>
      <ul role="tree" aria-label={label} ref={treeRef}>
        {rows.map((row, index) => {
          const { node } = row;
          const open = expanded.has(node.path);
          const pending = open && !Array.isArray(row.children) ? row.children : undefined;
          return (
            <li
              key={node.path}
              role="treeitem"
              data-path={node.path}
              data-kind={node.kind}
              aria-level={row.level}
              aria-expanded={node.kind === 'dir' ? open : undefined}
              aria-selected={row === current}
              tabIndex={row === current ? 0 : -1}
              style={{ paddingLeft: `${(row.level - 1) * 16 + 4}px` }}
              onClick={() => {
                setFocused(node.path);
                toggle(row);
              }}
              onKeyDown={(event) => onKeyDown(event, row, index)}
            >
              <span className="tree-twisty" aria-hidden="true">
                {node.kind === 'dir' ? (open ? '▾' : '▸') : ''}
              </span>
              <span className={`tree-name kind-${node.kind}`}>{node.kind === 'dir' ? `${node.name}/` : node.name}</span>
              {node.kind === 'symlink' ? (
                <span className="muted">
                  {' '}→ <code>{node.linkTarget ?? '?'}</code> (link, not followed)
                </span>
              ) : (
                <span className="tree-size muted">{formatBytes(node.sizeBytes)}</span>
              )}
              {open && Array.isArray(row.children) && row.children.length === 0 && <span className="muted"> (empty folder)</span>}
              {pending === 'loading' && <span className="muted"> loading…</span>}
              {pending && typeof pending === 'object' && <span className="error"> could not read: {pending.error}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
