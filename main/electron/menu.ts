// The native menu. Actions that belong to the page (run, cancel, find) are sent to the renderer.

import type { MenuItemOptions } from './deps.js';
import type { MenuAction } from './channels.js';

export function menuTemplate(send: (action: MenuAction) => void, isMac: boolean): MenuItemOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Project Folder…', accelerator: 'CmdOrCtrl+O', click: () => send('open-folder') },
        { type: 'separator' },
        { role: isMac ? 'close' : 'quit' },
      ],
    },
    {
      label: 'Run',
      submenu: [
        { label: 'Run Pipeline', accelerator: 'CmdOrCtrl+R', click: () => send('run') },
        { label: 'Cancel Run', accelerator: 'CmdOrCtrl+.', click: () => send('cancel') },
      ],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'copy' }, { role: 'selectAll' }, { type: 'separator' }, { label: 'Find in Log', accelerator: 'CmdOrCtrl+F', click: () => send('find') }],
    },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
  ];
}
