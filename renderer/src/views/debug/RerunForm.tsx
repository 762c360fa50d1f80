// Rerun one job of a past run with changes (variables, secrets, script, images, from the kept container),
// or rerun all its failed jobs; the new run is then shown.

import { useState, type KeyboardEvent } from 'react';
import type { RerunRequest } from '../../../../shared/debug.js';
import { useApp, useServices } from '../../state/context.js';
import type { JobView } from '../../state/run-model.js';

const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function nonEmpty(values: Record<string, string>): Record<string, string> | undefined {
  const kept = Object.entries(values).filter(([, value]) => value !== '');
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

interface Props {
  runId: string;
  job: JobView;
  /** The job's containers are still kept, so the rerun may start from their filesystem. */
  kept: boolean;
  /** The run has failed jobs to rerun. */
  runFailed: boolean;
}

export function RerunForm({ runId, job, kept, runFailed }: Props) {
  const { api } = useServices();
  const watchRun = useApp((s) => s.watchRun);
  const keepOnFailure = useApp((s) => s.keepOnFailure);
  const runProjectDir = useApp((s) => s.run?.projectDir);
  const plannedScript = useApp((s) => {
    if (!s.plan || (runProjectDir && s.plan.projectDir !== runProjectDir)) return undefined;
    return s.plan.jobs.find((j) => j.name === job.name)?.script.join('\n');
  });
  const original = (job.variables ?? []).filter((v) => !v.masked);
  const masked = (job.variables ?? []).filter((v) => v.masked);

  const [images, setImages] = useState<'pinned' | 'latest'>('pinned');
  /** Changed and added plain variables. */
  const [edits, setEdits] = useState<Record<string, string>>({});
  /** New secret values; empty means unchanged. */
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  /** Undefined until edited, so the job's script shows once the plan has loaded. */
  const [scriptDraft, setScriptDraft] = useState<string>();
  const [fromKept, setFromKept] = useState(false);
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const [newSecret, setNewSecret] = useState(false);
  const [pending, setPending] = useState<'job' | 'failed'>();
  const [error, setError] = useState<string>();

  const script = scriptDraft ?? plannedScript ?? '';
  const added = Object.keys(edits).filter((key) => !original.some((v) => v.key === key));
  const validNewKey = VALID_KEY.test(newKey);

  const addVariable = (): void => {
    if (!validNewKey) return;
    if (newSecret) setSecrets((s) => ({ ...s, [newKey]: newValue }));
    else setEdits((e) => ({ ...e, [newKey]: newValue }));
    setNewKey('');
    setNewValue('');
  };
  // Enter in the "add" row adds the variable instead of submitting the whole form.
  const addOnEnter = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addVariable();
  };

  const send = async (request: RerunRequest, which: 'job' | 'failed'): Promise<void> => {
    setPending(which);
    setError(undefined);
    try {
      const { runId: newRunId } = await api.rerun({ ...request, keepOnFailure });
      watchRun(newRunId);
    } catch (failure) {
      setError(errorText(failure));
      setPending(undefined);
    }
  };

  const rerunJob = (): void => {
    const variables = Object.fromEntries(Object.entries(edits).filter(([key, value]) => original.find((v) => v.key === key)?.value !== value));
    const lines = script.split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
    const scriptChanged = lines.length > 0 && lines.join('\n') !== (plannedScript ?? '');
    const request: RerunRequest = { runId, job: job.name, images };
    if (Object.keys(variables).length > 0) request.variables = variables;
    const newSecrets = nonEmpty(secrets);
    if (newSecrets) request.secrets = newSecrets;
    if (scriptChanged) request.script = lines;
    if (kept && fromKept) request.fromKept = true;
    void send(request, 'job');
  };

  return (
    <section className="panel rerun" aria-label="Rerun">
      <h3>Rerun {job.name} with changes</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          rerunJob();
        }}
      >
        <fieldset className="rerun-images">
          <legend>Images</legend>
          <label>
            <input type="radio" name="rerun-images" checked={images === 'pinned'} onChange={() => setImages('pinned')} /> the exact images of this run (pinned digests)
          </label>
          <label>
            <input type="radio" name="rerun-images" checked={images === 'latest'} onChange={() => setImages('latest')} /> the latest images for the tags
          </label>
        </fieldset>

        <fieldset className="rerun-variables">
          <legend>Variables</legend>
          {original.length === 0 && masked.length === 0 && added.length === 0 && (
            <p className="muted">{job.variables ? 'This job got no variables besides the predefined CI_* ones.' : 'The variables of this job are not known (it did not start).'}</p>
          )}
          <ul>
            {original.map((v) => (
              <li key={`v-${v.key}`}>
                <label htmlFor={`rerun-var-${v.key}`}>
                  <code>{v.key}</code>
                </label>
                <input id={`rerun-var-${v.key}`} aria-label={`Value of ${v.key}`} value={edits[v.key] ?? v.value} onChange={(e) => setEdits((all) => ({ ...all, [v.key]: e.target.value }))} />
                <span className="muted">{v.source}</span>
              </li>
            ))}
            {added.map((key) => (
              <li key={`a-${key}`}>
                <code>{key}</code>
                <input aria-label={`Value of ${key}`} value={edits[key] ?? ''} onChange={(e) => setEdits((all) => ({ ...all, [key]: e.target.value }))} />
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${key}`}
                  onClick={() =>
                    setEdits((all) => {
                      const { [key]: _removed, ...rest } = all;
                      return rest;
                    })
                  }
                >
                  remove
                </button>
              </li>
            ))}
            {[...new Set([...masked.map((v) => v.key), ...Object.keys(secrets)])].map((key) => (
              <li key={`s-${key}`}>
                <code>{key}</code>
                <input type="password" aria-label={`New value of secret ${key}`} placeholder="[MASKED] unchanged" value={secrets[key] ?? ''} onChange={(e) => setSecrets((all) => ({ ...all, [key]: e.target.value }))} />
                <span className="muted">secret, never stored</span>
              </li>
            ))}
          </ul>
          <div className="rerun-add">
            <input aria-label="New variable name" placeholder="NAME" value={newKey} onChange={(e) => setNewKey(e.target.value)} onKeyDown={addOnEnter} />
            <input aria-label="New variable value" placeholder="value" type={newSecret ? 'password' : 'text'} value={newValue} onChange={(e) => setNewValue(e.target.value)} onKeyDown={addOnEnter} />
            <label>
              <input type="checkbox" checked={newSecret} onChange={(e) => setNewSecret(e.target.checked)} /> secret
            </label>
            <button type="button" onClick={addVariable} disabled={!validNewKey}>
              Add variable
            </button>
          </div>
        </fieldset>

        <label className="rerun-script">
          <span>Script, one command per line</span>
          <textarea aria-label="Script" rows={Math.min(12, Math.max(3, script.split('\n').length + 1))} spellCheck={false} value={script} placeholder="Leave empty to keep the job's script" onChange={(e) => setScriptDraft(e.target.value)} />
          <span className="muted">{plannedScript === undefined ? "Empty keeps the job's script (open the project to see it here)." : "Empty or unchanged keeps the job's script."}</span>
        </label>

        {kept && (
          <label>
            <input type="checkbox" checked={fromKept} onChange={(e) => setFromKept(e.target.checked)} /> Start from the kept container's filesystem (with what you changed in the shell)
          </label>
        )}

        {error && (
          <p className="error" role="alert">
            Rerun failed: {error}
          </p>
        )}
        <div className="rerun-actions">
          <button type="submit" className="primary" disabled={pending !== undefined}>
            Rerun job
          </button>
          {runFailed && (
            <button type="button" disabled={pending !== undefined} onClick={() => void send({ runId, onlyFailed: true }, 'failed')} title="Successful jobs are not run again; their artifacts are reused">
              Rerun failed jobs
            </button>
          )}
          {pending && (
            <span className="muted" role="status">
              Starting the rerun…
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
