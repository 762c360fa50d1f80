// The IPC channel names, in one place for the main process and the preload. The renderer never sees
// them: the preload maps each API operation to its channel.

export const CHANNELS = {
  /** renderer → main (invoke): one JobsimApi call `{ method, args }`, answered with an IpcReply. */
  call: 'jobsim:call',
  /** renderer → main: `{ id, runId }` starts streaming that run's events; `{ id }` stops it. */
  subscribe: 'jobsim:subscribe',
  unsubscribe: 'jobsim:unsubscribe',
  /** main → renderer: `{ id, events }`, a batch of events for subscription `id`. */
  events: 'jobsim:events',
  /** renderer → main: `{ id, target, size }` opens a shell; `{ id, data }`, `{ id, size }`, `{ id }` drive it. */
  shellOpen: 'jobsim:shell-open',
  shellInput: 'jobsim:shell-input',
  shellResize: 'jobsim:shell-resize',
  shellClose: 'jobsim:shell-close',
  /** main → renderer: `{ id, output }`, output of shell `id` (ShellOutput). */
  shellOutput: 'jobsim:shell-output',
  /** renderer → main (invoke): show the OS folder dialog; answers the chosen folder or null. */
  pickFolder: 'jobsim:pick-folder',
  /** main → renderer: a menu action (`open-folder`, `run`, `cancel`, `find`). */
  menu: 'jobsim:menu',
} as const;

export type { MenuAction } from '../../shared/api.js';

/**
 * What the main process answers to a call. Errors travel as data: Electron would otherwise wrap them in
 * "Error invoking remote method …" and drop the problems list.
 */
export type IpcReply =
  | { ok: true; value: unknown }
  | { ok: false; message: string; problems?: { message: string; where?: { file: string; line: number; col: number } }[] };
