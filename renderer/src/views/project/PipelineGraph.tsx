// The project's pipeline: stages as columns, jobs as cards with image and services, needs as arrows.

import type { JobStatus } from '../../../../shared/events.js';
import type { PipelinePlan } from '../../../../shared/plan.js';
import { CARD_HEIGHT, CARD_WIDTH, layoutPipeline } from './layout.js';

interface Props {
  plan: Pick<PipelinePlan, 'stages' | 'jobs'>;
  /** Live states, when a run of this pipeline is shown. */
  states?: Record<string, JobStatus>;
  onRunJob?(job: string, withNeeds: boolean): void;
  onSelectJob?(job: string): void;
}

export function PipelineGraph({ plan, states, onRunJob, onSelectJob }: Props) {
  const layout = layoutPipeline(plan);
  return (
    <div className="graph" style={{ width: layout.width, height: layout.height }} role="group" aria-label="Pipeline graph">
      <svg className="graph-edges" width={layout.width} height={layout.height} aria-hidden="true">
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 8 4 L 0 8 z" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path key={`${edge.from}->${edge.to}`} d={edge.path} markerEnd="url(#arrow)" data-edge={`${edge.from}->${edge.to}`} />
        ))}
      </svg>
      {layout.columns.map((column) => (
        <h3 key={column.stage} className="graph-stage" style={{ left: column.x, width: CARD_WIDTH }}>
          {column.stage}
        </h3>
      ))}
      {plan.jobs.map((job) => {
        const box = layout.cards.get(job.name);
        if (!box) return null;
        const state = states?.[job.name];
        return (
          <article
            key={job.name}
            className={`job-card${state ? ` state-${state}` : ''}`}
            style={{ left: box.x, top: box.y, width: CARD_WIDTH, height: CARD_HEIGHT }}
            data-job={job.name}
            aria-label={`job ${job.name}${state ? `, ${state}` : ''}`}
          >
            <header>
              <button type="button" className="link" onClick={() => onSelectJob?.(job.name)}>
                {job.name}
              </button>
              {state && <span className={`badge state-${state}`}>{state}</span>}
            </header>
            <div className="job-image" title={job.image.ref.normalized}>
              {job.image.ref.written}
            </div>
            {job.services.length > 0 && <div className="job-services">+ {job.services.map((s) => s.customAliases[0] ?? s.aliases[0] ?? s.name).join(', ')}</div>}
            {onRunJob && (
              <div className="job-actions">
                <button type="button" onClick={() => onRunJob(job.name, false)} aria-label={`Run ${job.name}`}>
                  Run
                </button>
                {job.needs && job.needs.length > 0 && (
                  <button type="button" onClick={() => onRunJob(job.name, true)} aria-label={`Run ${job.name} with its needs`}>
                    + needs
                  </button>
                )}
              </div>
            )}
          </article>
        );
      })}
    </div>
  );
}
