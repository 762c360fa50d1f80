// "Keep failed jobs for debugging": when on, a failed job's containers stay (idle) so the Debug panel
// can open a shell at the point of failure. On by default in the app; the CLI asks for it explicitly.

import { useApp } from '../../state/context.js';

export function KeepOnFailureToggle() {
  const keep = useApp((s) => s.keepOnFailure);
  const setKeep = useApp((s) => s.setKeepOnFailure);
  return (
    <label className="keep-toggle" title="A failed job's containers, services and network stay for 30 minutes after their last use, so you can open a shell in them">
      <input type="checkbox" checked={keep} onChange={(event) => setKeep(event.target.checked)} /> Keep failed jobs for debugging
    </label>
  );
}
