// The "why?" panel of one pull attempt: the decision, the policy and where it came from, in words.

import type { PullEvent } from '../../../../shared/events.js';
import { explainPullInDepth } from './pull-why-text.js';

export function PullWhy({ event, id, onClose }: { event: PullEvent; id: string; onClose(): void }) {
  return (
    <section id={id} className="pull-why" aria-label={`Why ${event.decision}: ${event.image}, attempt ${event.attempt}`}>
      <ul>
        {explainPullInDepth(event).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
