// The renderer's entry: connect to whichever host we run in, then draw the app.

import { createRoot } from 'react-dom/client';
import { connectApi } from './api/index.js';
import { App } from './App.js';
import { LogStore } from './log/log-store.js';
import { createXtermShellTerminal } from './log/shell-terminal.js';
import { createXtermTerminal } from './log/xterm-terminal.js';
import { createAppStore } from './state/store.js';
import './styles.css';

const connection = connectApi();
const logs = new LogStore();
// `jobsim serve DIR` puts the project folder in the URL; the desktop app asks with the folder dialog.
const initialProject = new URLSearchParams(window.location.search).get('project') ?? '';
const store = createAppStore(connection.api, logs, initialProject);
connection.onStatus((status) => store.setState({ connection: status }));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<App services={{ api: connection.api, store, logs, createTerminal: createXtermTerminal, createShellTerminal: createXtermShellTerminal }} desktop={connection.desktop} />);
}
