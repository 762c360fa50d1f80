// Shown when the Docker engine does not answer: what jobsim tried and what to do.

import { useApp } from '../../state/context.js';

export function EngineBanner() {
  const doctor = useApp((s) => s.doctor);
  const checkEngine = useApp((s) => s.checkEngine);
  if (!doctor || doctor.reachable) return null;
  return (
    <section className="banner error" role="alert" aria-label="Docker engine">
      <strong>No Docker engine answered</strong> at <code>{doctor.endpoint.address}</code> ({doctor.endpoint.source}).
      {doctor.error && <div className="muted">{doctor.error}</div>}
      {doctor.advice && <div>{doctor.advice}</div>}
      <button type="button" onClick={() => void checkEngine()}>
        Check again
      </button>
    </section>
  );
}
