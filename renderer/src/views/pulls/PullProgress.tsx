// Live progress of one image pull: a bar for the total and one per layer (Docker reports each layer).

import type { PullProgressEvent } from '../../../../shared/events.js';
import { formatBytes } from '../../../../shared/bytes.js';

function amount(current: number, total: number): string {
  return total > 0 ? `${formatBytes(current)} of ${formatBytes(total)}` : current > 0 ? formatBytes(current) : '';
}

/** A native <progress>; without a known total it is indeterminate (no value). */
function Bar({ label, current, total }: { label: string; current: number; total: number }) {
  return total > 0 ? <progress aria-label={label} max={total} value={Math.min(current, total)} /> : <progress aria-label={label} />;
}

export function PullProgress({ progress }: { progress: PullProgressEvent }) {
  return (
    <div className="pull-progress" role="group" aria-label={`Pulling ${progress.image}`}>
      <div className="pull-progress-total">
        <span>
          Pulling <code>{progress.image}</code>
        </span>
        <Bar label={`Total for ${progress.image}`} current={progress.current} total={progress.total} />
        <span className="muted">{amount(progress.current, progress.total)}</span>
      </div>
      {progress.layers.length > 0 && (
        <ul className="pull-progress-layers">
          {progress.layers.map((layer) => (
            <li key={layer.id}>
              <code>{layer.id.slice(0, 12)}</code>
              <Bar label={`Layer ${layer.id.slice(0, 12)} of ${progress.image}`} current={layer.current} total={layer.total} />
              <span className="muted">
                {layer.status} {amount(layer.current, layer.total)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
