import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CacheTreeNode, CacheVolumeInfo } from '../../shared/cache-api.js';
import type { RunEvent } from '../../shared/events.js';
import { App } from '../../renderer/src/App.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { createFakeApi } from '../support/fake-api.js';
import { demoPlan, runStarted, stamp, textTerminal } from './fixtures.js';

const HOUR = 3_600_000;
const now = Date.now();

const nodeModules: CacheVolumeInfo = {
  project: 'local/demo',
  key: 'node-modules-3f2a9c1e',
  volume: 'jobsim-cache-local-demo-node-modules-3f2a9c1e',
  storage: 'volume',
  sizeBytes: 48 * 1024 * 1024,
  files: 12_408,
  lastWriter: { runId: '20240501-101500-a1b2', job: 'install', time: now - 3 * HOUR },
  lastUsed: now - 2 * HOUR,
  created: now - 72 * HOUR,
  empty: false,
};
const gems: CacheVolumeInfo = {
  project: 'acme/rails-app',
  key: 'gems-main',
  volume: 'jobsim-cache-acme-rails-app-gems-main',
  storage: 'volume',
  sizeBytes: 210 * 1024 * 1024,
  files: 30_112,
  lastWriter: { runId: '20240420-080000-c3d4', job: 'bundle', time: now - 300 * HOUR },
  lastUsed: now - 300 * HOUR,
  created: now - 400 * HOUR,
  empty: false,
};

const rootTree: CacheTreeNode = {
  path: '.',
  name: '.',
  kind: 'dir',
  sizeBytes: 48 * 1024 * 1024,
  children: [
    {
      path: 'node_modules',
      name: 'node_modules',
      kind: 'dir',
      sizeBytes: 48 * 1024 * 1024,
      children: [
        // At the listing's depth limit: no children yet, loaded when opened.
        { path: 'node_modules/lodash', name: 'lodash', kind: 'dir', sizeBytes: 1_400_000, children: [] },
        { path: 'node_modules/.bin', name: '.bin', kind: 'dir', sizeBytes: 0, children: [{ path: 'node_modules/.bin/eslint', name: 'eslint', kind: 'symlink', sizeBytes: 0, linkTarget: '../eslint/bin/eslint.js' }] },
      ],
    },
    { path: '.npm-install-stamp', name: '.npm-install-stamp', kind: 'file', sizeBytes: 41 },
  ],
};

function setup(caches: CacheVolumeInfo[] | Error = [nodeModules, gems]) {
  const api = createFakeApi();
  api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true });
  if (caches instanceof Error) api.listCaches.mockRejectedValue(caches);
  else api.listCaches.mockResolvedValue(caches);
  api.inspectCache.mockImplementation(async (_volume, path) =>
    path === 'node_modules/lodash'
      ? { path, name: 'lodash', kind: 'dir', sizeBytes: 1_400_000, children: [{ path: 'node_modules/lodash/lodash.js', name: 'lodash.js', kind: 'file', sizeBytes: 544_000 }] }
      : rootTree,
  );
  let deliver: (events: RunEvent[]) => void = () => undefined;
  api.subscribe.mockImplementation((_runId, onEvents) => {
    deliver = onEvents;
    return () => undefined;
  });
  const logs = new LogStore();
  const store = createAppStore(api, logs, '');
  store.setState({ connection: 'open', view: 'caches' });
  render(<App services={{ api, store, logs, createTerminal: textTerminal }} />);
  return { api, store, send: (events: RunEvent[]) => act(() => deliver(events)) };
}

describe('the caches view', () => {
  it('lists every cache with its project, key, size, files and last writer', async () => {
    const { api } = setup();
    const table = await screen.findByRole('table', { name: 'Caches' });
    expect(api.listCaches).toHaveBeenCalled();
    const row = within(table).getByText('node-modules-3f2a9c1e').closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('local/demo');
    expect(row).toHaveTextContent('48 MB');
    expect(row).toHaveTextContent('12408');
    expect(row).toHaveTextContent('job install in run 20240501-101500-a1b2');
    expect(row).toHaveTextContent('3 h ago');
    expect(within(table).getByText('gems-main').closest('tr')).toHaveTextContent('210 MB');
  });

  it('shows a cache as a tree: folders load when opened, symlinks are not followed', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByText('node-modules-3f2a9c1e'));
    const tree = await screen.findByRole('tree', { name: 'Contents of cache node-modules-3f2a9c1e' });
    expect(api.inspectCache).toHaveBeenCalledWith(nodeModules.volume);
    const folder = within(tree).getByRole('treeitem', { name: /node_modules\// });
    expect(folder).toHaveAttribute('aria-expanded', 'false');
    // Keyboard: the first item is focusable, Right opens the folder, Down moves into it.
    folder.focus();
    await user.keyboard('{ArrowRight}');
    expect(folder).toHaveAttribute('aria-expanded', 'true');
    // Folders first, by name: .bin, then lodash.
    await user.keyboard('{ArrowDown}');
    const bin = within(tree).getByRole('treeitem', { name: /\.bin\// });
    expect(bin).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(within(tree).getByRole('treeitem', { name: /eslint/ })).toHaveTextContent('→ ../eslint/bin/eslint.js (link, not followed)');
    expect(api.inspectCache).toHaveBeenCalledTimes(1);
    await user.click(within(tree).getByRole('treeitem', { name: /lodash\// }));
    expect(api.inspectCache).toHaveBeenLastCalledWith(nodeModules.volume, 'node_modules/lodash');
    expect(await within(tree).findByRole('treeitem', { name: /lodash\.js/ })).toHaveTextContent('531 KB');
  });

  it('moves between rows with the arrow keys and opens one with Enter', async () => {
    setup();
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Caches' });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    first?.focus();
    await user.keyboard('{ArrowDown}');
    expect(second).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('region', { name: 'Cache gems-main' })).toBeInTheDocument();
  });

  it('clears one cache after confirming, and the row disappears', async () => {
    const { api } = setup();
    api.clearCaches.mockResolvedValue({ removed: [nodeModules.volume], failed: [] });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Clear cache node-modules-3f2a9c1e of local/demo' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Confirm clearing' });
    expect(dialog).toHaveTextContent('Clear cache node-modules-3f2a9c1e of local/demo (48 MB)?');
    expect(api.clearCaches).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Clear' }));
    expect(api.clearCaches).toHaveBeenCalledWith({ kind: 'volume', volume: nodeModules.volume });
    expect(await screen.findByRole('status', { name: 'Clear result' })).toHaveTextContent('Removed 1 cache: node-modules-3f2a9c1e (local/demo).');
    expect(screen.queryByText('node-modules-3f2a9c1e', { selector: 'td code' })).toBeNull();
    expect(screen.getByText('gems-main')).toBeInTheDocument();
  });

  it('clears caches unused for N days and says which were in use', async () => {
    const { api } = setup();
    api.clearCaches.mockResolvedValue({ removed: [gems.volume], failed: [{ volume: nodeModules.volume, reason: 'in use by a running job (unit)' }] });
    const user = userEvent.setup();
    const days = await screen.findByLabelText('Days unused');
    await user.clear(days);
    await user.type(days, '7');
    await user.click(screen.getByRole('button', { name: 'Clear old caches…' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Clear every cache not used for 7 days?');
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(api.clearCaches).toHaveBeenCalledWith({ kind: 'older-than', days: 7 });
    const result = await screen.findByRole('status', { name: 'Clear result' });
    expect(result).toHaveTextContent('Removed 1 cache: gems-main (acme/rails-app).');
    expect(result).toHaveTextContent('Not removed node-modules-3f2a9c1e (local/demo): in use by a running job (unit)');
  });

  it('clears a whole project from the selected cache', async () => {
    const { api } = setup();
    api.clearCaches.mockResolvedValue({ removed: [nodeModules.volume], failed: [] });
    const user = userEvent.setup();
    await user.click(await screen.findByText('node-modules-3f2a9c1e'));
    await user.click(screen.getByRole('button', { name: 'Clear all caches of local/demo…' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Clear all 1 cache of local/demo?');
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(api.clearCaches).toHaveBeenCalledWith({ kind: 'project', project: 'local/demo' });
    expect(screen.queryByRole('tree')).toBeNull();
  });

  it('has an empty state and an error state that says what to do', async () => {
    setup([]);
    expect(await screen.findByText(/No caches yet: a job with/)).toBeInTheDocument();
  });

  it('says to run jobsim doctor when the engine does not answer, and retries', async () => {
    const { api } = setup(new Error('connect ENOENT /var/run/docker.sock'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('connect ENOENT /var/run/docker.sock');
    expect(alert).toHaveTextContent('run `jobsim doctor`');
    api.listCaches.mockResolvedValue([gems]);
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('gems-main')).toBeInTheDocument();
  });

  it('explains the current run’s cache use: restored from whom, saved, skipped and why', async () => {
    const { store, send } = setup();
    await screen.findByRole('table', { name: 'Caches' });
    const plan = demoPlan();
    act(() => store.getState().watchRun('20240502-091200-e5f6'));
    send(
      stamp('20240502-091200-e5f6', [
        runStarted(plan),
        { type: 'cache', job: 'compile', key: 'node-modules-3f2a9c1e', volume: nodeModules.volume, action: 'restored', reason: 'copied into the project directory', bytes: 48 * 1024 * 1024, files: 12_408, lastWriter: { runId: '20240501-101500-a1b2', job: 'install', time: now - 3 * HOUR }, fallbackKey: 'node-modules-main' },
        { type: 'cache', job: 'unit', key: 'coverage', volume: 'jobsim-cache-local-demo-coverage', action: 'skipped', reason: 'policy: push (never restores)' },
        { type: 'cache', job: 'lint', key: 'eslint', volume: 'jobsim-cache-local-demo-eslint', action: 'not-found', reason: 'no cache saved yet for eslint' },
      ]),
    );
    act(() => store.getState().showView('caches'));
    const table = await screen.findByRole('table', { name: 'Cache use in the current run' });
    const restored = within(table).getByText('compile').closest('tr') as HTMLElement;
    expect(restored).toHaveTextContent('restored');
    expect(restored).toHaveTextContent('the fallback key node-modules-main matched');
    expect(restored).toHaveTextContent('written by job install in run 20240501-101500-a1b2');
    expect(within(table).getByText('unit').closest('tr')).toHaveTextContent('policy: push (never restores)');
    expect(within(table).getByText('lint').closest('tr')).toHaveTextContent('no cache saved yet for eslint');
    await userEvent.setup().click(within(restored).getByRole('button', { name: /Show cache node-modules-3f2a9c1e/ }));
    expect(await screen.findByRole('tree', { name: 'Contents of cache node-modules-3f2a9c1e' })).toBeInTheDocument();
  });
});
