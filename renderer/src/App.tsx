// The window: a header to open a project and see the engine's state, then the project or the run.

import { useEffect, useState } from 'react';
import type { DesktopExtras } from './api/index.js';
import { AppServicesProvider, useApp, type AppServices } from './state/context.js';
import { CachesView } from './views/caches/CachesView.js';
import { EngineBanner } from './views/common/EngineBanner.js';
import { HistoryView } from './views/history/HistoryView.js';
import { ProjectView } from './views/project/ProjectView.js';
import { RunView } from './views/run/RunView.js';

/** Keyed by the open project, so the field shows it again after the project changes. */
function OpenProjectForm({ projectDir, desktop }: { projectDir: string; desktop?: DesktopExtras }) {
  const openProject = useApp((s) => s.openProject);
  const [draft, setDraft] = useState(projectDir);
  return (
      <form
        className="open-project"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) void openProject(draft.trim());
        }}
      >
        <input aria-label="Project folder" placeholder="/path/to/project" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">Open</button>
        {desktop && (
          <button
            type="button"
            onClick={() =>
              void desktop.pickFolder().then((folder) => {
                if (folder) void openProject(folder);
              })
            }
          >
            Choose folder…
          </button>
        )}
      </form>
  );
}

function Header({ desktop }: { desktop?: DesktopExtras }) {
  const projectDir = useApp((s) => s.projectDir);
  const view = useApp((s) => s.view);
  const showView = useApp((s) => s.showView);
  const hasRun = useApp((s) => s.run !== undefined);
  const connection = useApp((s) => s.connection);
  return (
    <header className="app-header">
      <strong className="logo">jobsim</strong>
      <OpenProjectForm key={projectDir} projectDir={projectDir} desktop={desktop} />
      <nav className="tabs" aria-label="Views">
        <button type="button" aria-pressed={view === 'project'} onClick={() => showView('project')}>
          Project
        </button>
        <button type="button" aria-pressed={view === 'run'} disabled={!hasRun} onClick={() => showView('run')}>
          Run
        </button>
        <button type="button" aria-pressed={view === 'history'} onClick={() => showView('history')}>
          History
        </button>
        <button type="button" aria-pressed={view === 'caches'} onClick={() => showView('caches')}>
          Caches
        </button>
      </nav>
      {connection !== 'open' && <span className={`connection connection-${connection}`}>{connection === 'unauthorized' ? 'refused: open the URL jobsim serve printed' : `${connection}…`}</span>}
    </header>
  );
}

function Main() {
  const view = useApp((s) => s.view);
  return <main>{view === 'run' ? <RunView /> : view === 'history' ? <HistoryView /> : view === 'caches' ? <CachesView /> : <ProjectView />}</main>;
}

export function App({ services, desktop }: { services: AppServices; desktop?: DesktopExtras }) {
  useEffect(() => {
    const { checkEngine, projectDir, openProject, cancelRun, startRun, showView } = services.store.getState();
    void checkEngine();
    if (projectDir) void openProject(projectDir);
    return desktop?.onMenu((action) => {
      if (action === 'open-folder') {
        void desktop.pickFolder().then((folder) => {
          if (folder) void openProject(folder);
        });
      }
      if (action === 'run') void startRun({});
      if (action === 'cancel') void cancelRun();
      if (action === 'find') {
        showView('run');
        document.querySelector<HTMLInputElement>('input[aria-label="Find in log"]')?.focus();
      }
    });
  }, [services, desktop]);

  return (
    <AppServicesProvider services={services}>
      <Header desktop={desktop} />
      <EngineBanner />
      <Main />
    </AppServicesProvider>
  );
}
