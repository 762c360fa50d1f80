// Loading and error states shared by the views that fetch their own data (caches, history, compare).

import { useCallback, useEffect, useState } from 'react';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ENGINE_DOWN = /ENOENT|ECONNREFUSED|EACCES|docker\.sock|docker daemon|engine|npipe/i;
const HOST_DOWN = /socket|disconnected|not connected|closed|websocket/i;

/** What the user can do about an error, in one sentence. */
export function nextStepFor(message: string): string {
  if (ENGINE_DOWN.test(message)) return 'The Docker engine did not answer: run `jobsim doctor` to see which engine jobsim tried and how to fix it, then retry.';
  if (HOST_DOWN.test(message)) return 'The connection to jobsim was lost: check that `jobsim serve` (or the desktop app) is still running, then retry.';
  return 'Retry; if it keeps failing, run `jobsim doctor` and include its output when you ask for help.';
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, message, onRetry }: { what: string; message: string; onRetry?: () => void }) {
  return (
    <div className="load-error" role="alert">
      <strong>Could not load {what}.</strong>
      <code>{message}</code>
      <span>{nextStepFor(message)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export interface Loaded<T> {
  /** The last answer; kept while a reload is under way. */
  data?: T;
  loading: boolean;
  error?: string;
  reload(): void;
  /** For local edits after an action (a cleared cache leaves the list without a refetch). */
  setData(update: (data: T | undefined) => T | undefined): void;
}

interface Answer<T> {
  load: () => Promise<T>;
  attempt: number;
  data?: T;
  error?: string;
}

/** Runs `load` (keep it stable with useCallback) on mount, when it changes, and on reload(). */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer<T>>();

  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setAnswer({ load, attempt, data }),
      (failure: unknown) => current && setAnswer((previous) => ({ load, attempt, data: previous?.data, error: errorText(failure) })),
    );
    return () => {
      current = false;
    };
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback((update: (data: T | undefined) => T | undefined) => setAnswer((previous) => previous && { ...previous, data: update(previous.data) }), []);
  const loading = answer?.load !== load || answer.attempt !== attempt;
  return { data: answer?.data, loading, error: loading ? undefined : answer?.error, reload, setData };
}
