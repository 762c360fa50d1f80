// An interactive shell in a job's container: keystrokes go to the session, its output to the terminal,
// and the terminal's size follows the panel. Closing (unmount) ends the shell.

import { useEffect, useRef, useState } from 'react';
import type { ShellOutput, ShellTarget } from '../../../../shared/debug.js';
import { useServices } from '../../state/context.js';

type ShellState =
  | { phase: 'opening' }
  | { phase: 'open'; container: string }
  | { phase: 'exited'; code: number }
  | { phase: 'error'; message: string };

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function describeTarget(target: ShellTarget): string {
  return target.service ? `service ${target.service} of ${target.job}` : `build container of ${target.job}`;
}

interface Props {
  target: ShellTarget;
  /** Shown as the close button when given (the panel decides what closing means). */
  onClose?(): void;
}

export function ShellTerminal({ target, onClose }: Props) {
  const { api, createShellTerminal } = useServices();
  const element = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ShellState>({ phase: 'opening' });
  // Bumped by "New shell": a fresh terminal and a fresh session.
  const [attempt, setAttempt] = useState(0);
  const { runId, job, service } = target;

  useEffect(() => {
    if (!element.current || !createShellTerminal) return;
    const terminal = createShellTerminal(element.current, prefersDark() ? 'dark' : 'light');
    let ended = false;

    const onOutput = (output: ShellOutput): void => {
      if (ended) return;
      switch (output.kind) {
        case 'opened':
          terminal.write(output.banner);
          setState({ phase: 'open', container: output.container });
          terminal.focus();
          break;
        case 'data':
          terminal.write(output.data);
          break;
        case 'exit':
          ended = true;
          terminal.write(`\r\n[shell exited with code ${output.code}]\r\n`);
          setState({ phase: 'exited', code: output.code });
          break;
        case 'error':
          ended = true;
          terminal.write(`\r\n[${output.message}]\r\n`);
          setState({ phase: 'error', message: output.message });
          break;
      }
    };

    let session: ReturnType<typeof api.openShell> | undefined;
    try {
      session = api.openShell({ runId, job, ...(service ? { service } : {}) }, terminal.size(), onOutput);
    } catch (error) {
      // A host that refuses at once (disconnected) reports like a session that failed to open.
      onOutput({ kind: 'error', message: errorText(error) });
    }
    const stopData = terminal.onData((data) => {
      if (!ended) session?.write(data);
    });
    const stopResize = terminal.onResize((size) => {
      if (!ended) session?.resize(size);
    });

    return () => {
      stopData();
      stopResize();
      if (!ended) session?.close();
      ended = true;
      terminal.dispose();
    };
  }, [api, createShellTerminal, runId, job, service, attempt]);

  if (!createShellTerminal) {
    return (
      <p className="error" role="alert">
        This window cannot draw an interactive terminal. Use <code>jobsim shell {runId} {job}</code> in a terminal instead.
      </p>
    );
  }

  const label = describeTarget(target);
  return (
    <section className="shell" role="region" aria-label="Shell">
      <div className="shell-bar">
        <span>
          Shell in the <strong>{label}</strong>
          {state.phase === 'open' && <span className="muted"> ({state.container})</span>}
        </span>
        <span className="shell-status" role="status" aria-live="polite">
          {state.phase === 'opening' && 'Connecting…'}
          {state.phase === 'exited' && `[shell exited with code ${state.code}]`}
        </span>
        {(state.phase === 'exited' || state.phase === 'error') && (
          <button
            type="button"
            onClick={() => {
              setState({ phase: 'opening' });
              setAttempt((n) => n + 1);
            }}
          >
            New shell
          </button>
        )}
        {onClose && (
          <button type="button" onClick={onClose} aria-label="Close shell">
            Close
          </button>
        )}
      </div>
      {state.phase === 'error' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      <div className="shell-terminal" ref={element} aria-label={`Terminal: ${label}`} />
    </section>
  );
}
