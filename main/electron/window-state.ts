// Remembers the window's size and position between starts, in the app data folder.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Rectangle } from './deps.js';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { x: -1, y: -1, width: 1280, height: 820 }, maximized: false };

function isRectangle(value: unknown): value is Rectangle {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

export function loadWindowState(userDataDir: string): WindowState {
  try {
    const raw: unknown = JSON.parse(readFileSync(path.join(userDataDir, 'window-state.json'), 'utf8'));
    const state = raw as Partial<WindowState>;
    if (isRectangle(state.bounds) && state.bounds.width >= 400 && state.bounds.height >= 300) {
      return { bounds: state.bounds, maximized: state.maximized === true };
    }
  } catch {
    // First start, or an unreadable file: use the defaults.
  }
  return DEFAULT_WINDOW_STATE;
}

export function saveWindowState(userDataDir: string, state: WindowState): void {
  try {
    writeFileSync(path.join(userDataDir, 'window-state.json'), JSON.stringify(state));
  } catch {
    // Not worth failing a quit over.
  }
}
