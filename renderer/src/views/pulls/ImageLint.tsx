// Next to a pull decision: would this image work as a runner image? (shell, ps, user, entrypoint,
// architecture, age, registry), from `jobsim image lint`.

import { useApp } from '../../state/context.js';

export function ImageLint({ image }: { image: string }) {
  const result = useApp((s) => s.lints[image]);
  const lintImage = useApp((s) => s.lintImage);
  if (result === undefined) {
    return (
      <button type="button" className="link" onClick={() => void lintImage(image)} aria-label={`Lint ${image}`}>
        lint
      </button>
    );
  }
  if (result === 'checking') return <span className="muted">linting…</span>;
  if ('error' in result) return <span className="error">lint failed: {result.error}</span>;
  return (
    <details className={`lint lint-${result.status}`}>
      <summary>
        lint ({result.profile}): <strong>{result.status}</strong>
      </summary>
      <ul>
        {result.findings.map((finding) => (
          <li key={finding.check} className={`lint-${finding.status}`}>
            <strong>{finding.check}</strong> {finding.status}: {finding.message}
          </li>
        ))}
      </ul>
    </details>
  );
}
