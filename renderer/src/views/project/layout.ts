// Where the pipeline graph puts each job card: stages as columns, jobs stacked in file order. Computed,
// not measured, so the needs edges can be drawn in the same pass and tested without a browser.

import type { PipelinePlan } from '../../../../shared/plan.js';

export const CARD_WIDTH = 220;
export const CARD_HEIGHT = 84;
export const COLUMN_GAP = 64;
export const ROW_GAP = 16;
export const HEADER_HEIGHT = 32;

export interface CardBox {
  job: string;
  x: number;
  y: number;
}

export interface Edge {
  from: string;
  to: string;
  /** SVG path from the right edge of `from` to the left edge of `to`. */
  path: string;
}

export interface GraphLayout {
  columns: { stage: string; x: number }[];
  cards: Map<string, CardBox>;
  edges: Edge[];
  width: number;
  height: number;
}

export function layoutPipeline(plan: Pick<PipelinePlan, 'stages' | 'jobs'>): GraphLayout {
  const usedStages = plan.stages.filter((stage) => plan.jobs.some((job) => job.stage === stage));
  const columns = usedStages.map((stage, index) => ({ stage, x: index * (CARD_WIDTH + COLUMN_GAP) }));
  const cards = new Map<string, CardBox>();
  let rows = 0;
  for (const column of columns) {
    const jobs = plan.jobs.filter((job) => job.stage === column.stage);
    jobs.forEach((job, row) => cards.set(job.name, { job: job.name, x: column.x, y: HEADER_HEIGHT + row * (CARD_HEIGHT + ROW_GAP) }));
    rows = Math.max(rows, jobs.length);
  }
  const edges: Edge[] = [];
  for (const job of plan.jobs) {
    const to = cards.get(job.name);
    for (const need of job.needs ?? []) {
      const from = cards.get(need.job);
      if (!from || !to) continue;
      const x1 = from.x + CARD_WIDTH;
      const y1 = from.y + CARD_HEIGHT / 2;
      const x2 = to.x;
      const y2 = to.y + CARD_HEIGHT / 2;
      const bend = Math.max(24, (x2 - x1) / 2);
      edges.push({ from: need.job, to: job.name, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` });
    }
  }
  return {
    columns,
    cards,
    edges,
    width: Math.max(CARD_WIDTH, columns.length * (CARD_WIDTH + COLUMN_GAP) - COLUMN_GAP),
    height: HEADER_HEIGHT + Math.max(1, rows) * (CARD_HEIGHT + ROW_GAP),
  };
}
