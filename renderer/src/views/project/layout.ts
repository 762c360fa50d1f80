// Where the pipeline graph puts each card: stages as columns, cards stacked in file order. Computed,
// not measured, so the needs edges can be drawn in the same pass and tested without a browser.

import type { JobPlan } from '../../../../shared/plan.js';
import { cardKeyOf, type GraphItem } from './graph-items.js';

export const CARD_WIDTH = 220;
export const CARD_HEIGHT = 96;
export const COLUMN_GAP = 64;
export const ROW_GAP = 16;
export const HEADER_HEIGHT = 32;
/** An open group's instances sit this much to the right of it. */
export const INSTANCE_INDENT = 14;

export interface CardBox {
  key: string;
  x: number;
  y: number;
  width: number;
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

function jobsOf(item: GraphItem): JobPlan[] {
  return item.kind === 'group' ? item.jobs : [item.job];
}

export function layoutPipeline(stages: readonly string[], items: readonly GraphItem[]): GraphLayout {
  const usedStages = stages.filter((stage) => items.some((item) => item.stage === stage));
  const columns = usedStages.map((stage, index) => ({ stage, x: index * (CARD_WIDTH + COLUMN_GAP) }));
  const cards = new Map<string, CardBox>();
  let rows = 0;
  for (const column of columns) {
    const inColumn = items.filter((item) => item.stage === column.stage);
    inColumn.forEach((item, row) => {
      const indent = item.kind === 'instance' ? INSTANCE_INDENT : 0;
      cards.set(item.key, { key: item.key, x: column.x + indent, y: HEADER_HEIGHT + row * (CARD_HEIGHT + ROW_GAP), width: CARD_WIDTH - indent });
    });
    rows = Math.max(rows, inColumn.length);
  }
  const cardOf = cardKeyOf(items);
  const edges = new Map<string, Edge>();
  for (const item of items) {
    const to = cards.get(item.key);
    for (const job of jobsOf(item)) {
      for (const need of job.needs ?? []) {
        const fromKey = cardOf.get(need.job);
        const from = fromKey === undefined ? undefined : cards.get(fromKey);
        const id = `${fromKey}->${item.key}`;
        if (!from || !to || fromKey === item.key || edges.has(id)) continue;
        const x1 = from.x + from.width;
        const y1 = from.y + CARD_HEIGHT / 2;
        const x2 = to.x;
        const y2 = to.y + CARD_HEIGHT / 2;
        const bend = Math.max(24, (x2 - x1) / 2);
        edges.set(id, { from: fromKey!, to: item.key, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` });
      }
    }
  }
  return {
    columns,
    cards,
    edges: [...edges.values()],
    width: Math.max(CARD_WIDTH, columns.length * (CARD_WIDTH + COLUMN_GAP) - COLUMN_GAP),
    height: HEADER_HEIGHT + Math.max(1, rows) * (CARD_HEIGHT + ROW_GAP),
  };
}
