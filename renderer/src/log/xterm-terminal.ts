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

/**
 * WebGL only pays off on a real GPU. A software rasteriser (SwiftShader, llvmpipe: VMs, remote desktops,
 * headless browsers) draws slower than xterm's DOM renderer and starves the parser of frames.
 */
function hardwareWebgl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

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
  if (hardwareWebgl()) {
    try {
      const webgl = new WebglAddon();
      // On a lost context (driver reset, GPU switch) fall back to the DOM renderer.
      webgl.onContextLoss(() => webgl.dispose());
      terminal.loadAddon(webgl);
    } catch {
      // No WebGL after all: xterm keeps its DOM renderer.
    }
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
    setScrollback: (lines) => {
      terminal.options.scrollback = lines;
    },
    dispose: () => terminal.dispose(),
  };
};
