// The real job-log terminal: xterm.js with fit, search and web-links addons, and the WebGL renderer
// when the GPU allows it (falling back to the DOM renderer when the WebGL context is lost).

import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LogTerminal, TerminalFactory } from './terminal.js';

const THEMES = {
  dark: { background: '#16181d', foreground: '#d7dae0', cursor: '#16181d', selectionBackground: '#3d4b66' },
  light: { background: '#fbfbfc', foreground: '#24292f', cursor: '#fbfbfc', selectionBackground: '#b6d0f5' },
};

export const createXtermTerminal: TerminalFactory = (element, theme): LogTerminal => {
  const terminal = new Terminal({
    convertEol: false,
    disableStdin: true,
    cursorBlink: false,
    scrollback: 100_000,
    fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace',
    fontSize: 13,
    theme: THEMES[theme],
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  terminal.loadAddon(fit);
  terminal.loadAddon(search);
  // Links in job output are untrusted: open them in the system browser only, never in the app window.
  terminal.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
  terminal.open(element);
  try {
    const webgl = new WebglAddon();
    webgl.onContextLoss(() => webgl.dispose());
    terminal.loadAddon(webgl);
  } catch {
    // No WebGL here: xterm keeps its DOM renderer.
  }
  fit.fit();

  return {
    write: (data, callback) => terminal.write(data, callback),
    clear: () => terminal.reset(),
    findNext: (term) => search.findNext(term),
    findPrevious: (term) => search.findPrevious(term),
    selection: () => terminal.getSelection(),
    scrollToBottom: () => terminal.scrollToBottom(),
    fit: () => fit.fit(),
    dispose: () => terminal.dispose(),
  };
};
