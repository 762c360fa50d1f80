// Which pipeline to simulate, next to "Run pipeline": a branch, a tag or a merge request, and what
// started it, as `--ref`, `--tag`, `--mr-target` and `--source` do on the command line. Applying a
// choice reads the job list again for it; the parser checks the names and says what is wrong.

import { useState } from 'react';
import { PIPELINE_SOURCES, type PipelineChoice, type PipelineSource } from '../../../../shared/plan.js';
import { useApp } from '../../state/context.js';

type Kind = 'branch' | 'tag' | 'merge-request';
const OTHER_SOURCES = PIPELINE_SOURCES.filter((source) => source !== 'merge_request_event');

interface Draft {
  kind: Kind;
  name: string;
  target: string;
  source: PipelineSource;
}

function draftOf(choice: PipelineChoice): Draft {
  const kind: Kind = choice.tag !== undefined ? 'tag' : choice.mrTarget !== undefined || choice.source === 'merge_request_event' ? 'merge-request' : 'branch';
  return { kind, name: choice.tag ?? choice.ref ?? '', target: choice.mrTarget ?? '', source: choice.source && choice.source !== 'merge_request_event' ? choice.source : 'push' };
}

function choiceOf(draft: Draft): PipelineChoice {
  const name = draft.name.trim();
  const target = draft.target.trim();
  if (draft.kind === 'tag') return { tag: name, ...(draft.source !== 'push' ? { source: draft.source } : {}) };
  if (draft.kind === 'merge-request') return { ...(name ? { ref: name } : {}), source: 'merge_request_event', ...(target ? { mrTarget: target } : {}) };
  return { ...(name ? { ref: name } : {}), ...(draft.source !== 'push' ? { source: draft.source } : {}) };
}

/** The chosen pipeline in words, as it stands now. */
export function describePipeline(choice: PipelineChoice): string {
  const source = choice.source && choice.source !== 'push' && choice.source !== 'merge_request_event' ? `${choice.source} ` : 'push ';
  if (choice.tag !== undefined) return `${source}pipeline for tag ${choice.tag}`;
  if (choice.mrTarget !== undefined || choice.source === 'merge_request_event') {
    return `merge request pipeline: ${choice.ref ?? 'the checked-out branch'} into ${choice.mrTarget ?? 'the default branch'}`;
  }
  return `${source}pipeline for ${choice.ref !== undefined ? `branch ${choice.ref}` : 'the checked-out branch'}`;
}

export function PipelineChoiceForm() {
  const applied = useApp((s) => s.pipeline);
  const setPipeline = useApp((s) => s.setPipeline);
  const [draft, setDraft] = useState<Draft>(() => draftOf(applied));
  const update = (change: Partial<Draft>): void => setDraft((current) => ({ ...current, ...change }));
  const nameLabel = draft.kind === 'tag' ? 'Tag' : draft.kind === 'merge-request' ? 'Source branch' : 'Branch';
  const ready = draft.kind !== 'tag' || draft.name.trim() !== '';

  return (
    <form
      className="pipeline-choice"
      aria-label="Pipeline to simulate"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void setPipeline(choiceOf(draft));
      }}
    >
      <select aria-label="Pipeline for" value={draft.kind} onChange={(event) => update({ kind: event.target.value as Kind })}>
        <option value="branch">branch</option>
        <option value="tag">tag</option>
        <option value="merge-request">merge request</option>
      </select>
      <input aria-label={nameLabel} placeholder={draft.kind === 'tag' ? 'v1.0.0' : 'checked-out branch'} value={draft.name} onChange={(event) => update({ name: event.target.value })} />
      {draft.kind === 'merge-request' ? (
        <input aria-label="Target branch" placeholder="default branch" value={draft.target} onChange={(event) => update({ target: event.target.value })} />
      ) : (
        <select aria-label="Source" value={draft.source} onChange={(event) => update({ source: event.target.value as PipelineSource })}>
          {OTHER_SOURCES.map((source) => (
            <option key={source} value={source}>
              {source}
            </option>
          ))}
        </select>
      )}
      <button type="submit" disabled={!ready}>
        Show pipeline
      </button>
      <span className="muted" aria-live="polite">
        {describePipeline(applied)}
      </span>
    </form>
  );
}
