// The terminal behind an interactive shell (a TTY in a job's container). Components talk to this small
// interface so they can be tested in jsdom with a fake; the real one is xterm.js with the fit addon.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalSize } from '../../../shared/debug.js';

export interface ShellTerminal {
  /** Output of the shell, raw (the TTY already turns newlines into CRLF). */
  write(data: string): void;
  /** Keystrokes, as escape sequences ready for the TTY. Returns an unsubscribe. */
  onData(listener: (data: string) => void): () => void;
  /** New size in cells, after the panel was resized and the terminal refitted. Returns an unsubscribe. */
  onResize(listener: (size: TerminalSize) => void): () => void;
  size(): TerminalSize;
  fit(): void;
  focus(): void;
  dispose(): void;
}

export type ShellTerminalFactory = (element: HTMLElement, theme: 'light' | 'dark') => ShellTerminal;

const THEMES = {
  dark: { background: '#16181d', foreground: '#d7dae0', cursor: '#d7dae0', selectionBackground: '#3d4b66' },
  light: { background: '#ffffff', foreground: '#24292f', cursor: '#24292f', selectionBackground: '#b6d0f5' },
};

// No WebGL renderer here (unlike the job log): a shell draws a screenful at a time, which the DOM renderer
// handles well, and it avoids a second GPU context per open shell.
export const createXtermShellTerminal: ShellTerminalFactory = (element, theme): ShellTerminal => {
  const terminal = new Terminal({
    cursorBlink: true,
    scrollback: 5_000,
    fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace',
    fontSize: 13,
    theme: THEMES[theme],
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(element);
  fit.fit();

  // Refit when the panel changes size (window resize, sidebar, tab layout), once per frame at most.
  let frame: number | undefined;
  const observer = new ResizeObserver(() => {
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
  });
  observer.observe(element);

  return {
    write: (data) => terminal.write(data),
    onData: (listener) => {
      const subscription = terminal.onData(listener);
      return () => subscription.dispose();
    },
    onResize: (listener) => {
      const subscription = terminal.onResize(({ cols, rows }) => listener({ cols, rows }));
      return () => subscription.dispose();
    },
    size: () => ({ cols: terminal.cols, rows: terminal.rows }),
    fit: () => fit.fit(),
    focus: () => terminal.focus(),
    dispose: () => {
      observer.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
      terminal.dispose();
    },
  };
};
