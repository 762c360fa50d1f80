// One job's stages as a Gantt bar (prepare, pre-build, build, post-build), with the steps inside them:
// pulls, service waits, cache and artifact transfers.

import { STAGE_NAMES } from '../../../../shared/events.js';
import type { JobView } from '../../state/run-model.js';
import { formatMs } from '../common/format.js';
import { ImageLint } from '../pulls/ImageLint.js';

export function StageTimeline({ job, now }: { job: JobView; now: number }) {
  const spans = STAGE_NAMES.map((name) => ({ name, span: job.stages[name] })).filter((s) => s.span);
  if (spans.length === 0) return <p className="muted">No stage has started yet.</p>;
  const start = Math.min(...spans.map((s) => s.span?.start ?? now));
  const end = Math.max(...spans.map((s) => s.span?.end ?? now), start + 1);
  const total = end - start;

  return (
    <section className="timeline" aria-label={`Stages of ${job.name}`}>
      <div className="timeline-bar">
        {spans.map(({ name, span }) => {
          const from = (span?.start ?? start) - start;
          const to = (span?.end ?? now) - start;
          return (
            <div
              key={name}
              className={`timeline-stage stage-${name} ${span?.end === undefined ? 'running' : `status-${span.status ?? 'success'}`}`}
              style={{ left: `${(from / total) * 100}%`, width: `${Math.max(0.5, ((to - from) / total) * 100)}%` }}
              title={`${name}: ${formatMs(to - from)}`}
              data-stage={name}
            >
              <span>{name}</span>
            </div>
          );
        })}
      </div>
      <ol className="timeline-legend">
        {spans.map(({ name, span }) => (
          <li key={name}>
            <strong>{name}</strong> {span?.end === undefined ? 'running…' : `${formatMs(span.end - span.start)} (${span.status ?? 'success'})`}
          </li>
        ))}
      </ol>
      {job.steps.length > 0 && (
        <ul className="timeline-steps">
          {job.steps.map((step, index) => (
            <li key={index} className={`step step-${step.kind}`}>
              <span className="step-kind">{step.kind}</span> {step.label}: {step.outcome}
              {step.durationMs !== undefined && <span className="muted"> ({formatMs(step.durationMs)})</span>}
              {step.image && (
                <>
                  {' '}
                  <ImageLint image={step.image} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
