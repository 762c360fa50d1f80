// The project's pipeline: stages as columns, jobs as cards with image, services and state, needs as
// arrows. Jobs that will not simply run are greyed with their reason; excluded ones are hidden until
// asked for; the instances of a `parallel:` job are grouped under one card, as GitLab draws them.

import { useState } from 'react';
import type { JobStatus } from '../../../../shared/events.js';
import type { PipelinePlan } from '../../../../shared/plan.js';
import { excludedCount, graphItems, isBlocked, STATE_LABELS, type GraphItem } from './graph-items.js';
import { CARD_HEIGHT, CARD_WIDTH, layoutPipeline, type CardBox } from './layout.js';

interface Props {
  plan: Pick<PipelinePlan, 'stages' | 'jobs'>;
  /** Live states, when a run of this pipeline is shown. */
  states?: Record<string, JobStatus>;
  onRunJob?(job: string, withNeeds: boolean): void;
  onSelectJob?(job: string): void;
}

export function PipelineGraph({ plan, states, onRunJob, onSelectJob }: Props) {
  const [showExcluded, setShowExcluded] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const items = graphItems(plan.jobs, { showExcluded, expanded });
  const layout = layoutPipeline(plan.stages, items);
  const excluded = excludedCount(plan.jobs);
  const toggleGroup = (name: string): void =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(name)) next.add(name);
      return next;
    });

  return (
    <>
      {excluded > 0 && (
        <label className="excluded-toggle">
          <input type="checkbox" checked={showExcluded} onChange={(event) => setShowExcluded(event.target.checked)} /> show {excluded} excluded job{excluded === 1 ? '' : 's'}
        </label>
      )}
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
        {items.map((item) => {
          const box = layout.cards.get(item.key);
          if (!box) return null;
          return item.kind === 'group' ? (
            <GroupCard key={item.key} item={item} box={box} onToggle={() => toggleGroup(item.name)} onRunJob={onRunJob} />
          ) : (
            <JobCard key={item.key} item={item} box={box} live={states?.[item.job.name]} onRunJob={onRunJob} onSelectJob={onSelectJob} />
          );
        })}
      </div>
    </>
  );
}

function cardClass(kind: GraphItem['kind'], state: GraphItem['state'], live?: JobStatus): string {
  return ['job-card', kind === 'job' ? '' : kind, state ? `job-state-${state}` : '', state && state !== 'runnable' ? 'not-runnable' : '', live ? `state-${live}` : '']
    .filter(Boolean)
    .join(' ');
}

function StateLine({ state, reason }: { state?: GraphItem['state']; reason?: string }) {
  if (!state || state === 'runnable') return null;
  return (
    <div className="job-reason" title={reason}>
      <span className={`badge job-state-${state}`}>{STATE_LABELS[state]}</span> {reason && reason !== state ? reason : ''}
    </div>
  );
}

function JobCard({ item, box, live, onRunJob, onSelectJob }: { item: Extract<GraphItem, { kind: 'job' | 'instance' }>; box: CardBox; live?: JobStatus; onRunJob?: Props['onRunJob']; onSelectJob?: Props['onSelectJob'] }) {
  const { job, state, reason } = item;
  const label = `job ${job.name}${live ? `, ${live}` : ''}${state !== 'runnable' ? `, ${STATE_LABELS[state]}` : ''}`;
  return (
    <article className={cardClass(item.kind, state, live)} style={{ left: box.x, top: box.y, width: box.width, height: CARD_HEIGHT }} data-job={job.name} data-state={state} aria-label={label}>
      <header>
        <button type="button" className="link" onClick={() => onSelectJob?.(job.name)}>
          {job.name}
        </button>
        {live && <span className={`badge state-${live}`}>{live}</span>}
      </header>
      <div className="job-image" title={job.image.ref.normalized}>
        {job.image.ref.written}
      </div>
      {job.services.length > 0 && <div className="job-services">+ {job.services.map((s) => s.customAliases[0] ?? s.aliases[0] ?? s.name).join(', ')}</div>}
      <StateLine state={state} reason={reason} />
      {onRunJob && !isBlocked(state) && <RunButtons name={job.name} hasNeeds={(job.needs?.length ?? 0) > 0} onRunJob={onRunJob} />}
    </article>
  );
}

function GroupCard({ item, box, onToggle, onRunJob }: { item: Extract<GraphItem, { kind: 'group' }>; box: CardBox; onToggle(): void; onRunJob?: Props['onRunJob'] }) {
  const first = item.jobs[0]!;
  const images = [...new Set(item.jobs.map((job) => job.image.ref.written))];
  const label = `job group ${item.name}, ${item.jobs.length} jobs${item.state && item.state !== 'runnable' ? `, ${STATE_LABELS[item.state]}` : ''}`;
  return (
    <article className={cardClass('group', item.state)} style={{ left: box.x, top: box.y, width: box.width, height: CARD_HEIGHT }} data-group={item.name} data-state={item.state} aria-label={label}>
      <header>
        <button type="button" className="link" aria-expanded={item.expanded} onClick={onToggle}>
          {item.expanded ? '▾' : '▸'} {item.name}
        </button>
        <span className="badge group-count">{item.jobs.length}</span>
      </header>
      <div className="job-image" title={images.join(', ')}>
        {images.length === 1 ? first.image.ref.written : `${images.length} images`}
      </div>
      <StateLine state={item.state} reason={item.reason} />
      {onRunJob && !isBlocked(item.state) && <RunButtons name={item.name} hasNeeds={item.jobs.some((job) => (job.needs?.length ?? 0) > 0)} onRunJob={onRunJob} />}
    </article>
  );
}

function RunButtons({ name, hasNeeds, onRunJob }: { name: string; hasNeeds: boolean; onRunJob: NonNullable<Props['onRunJob']> }) {
  return (
    <div className="job-actions">
      <button type="button" onClick={() => onRunJob(name, false)} aria-label={`Run ${name}`}>
        Run
      </button>
      {hasNeeds && (
        <button type="button" onClick={() => onRunJob(name, true)} aria-label={`Run ${name} with its needs`}>
          + needs
        </button>
      )}
    </div>
  );
}
