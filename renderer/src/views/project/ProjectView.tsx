// The opened project: its pipeline graph, run buttons and variables; or the parser's problems.

import { useApp } from '../../state/context.js';
import { formatProblem } from '../common/format.js';
import { KeepOnFailureToggle } from './KeepOnFailureToggle.js';
import { PipelineChoiceForm } from './PipelineChoiceForm.js';
import { PipelineGraph } from './PipelineGraph.js';
import { VariablesEditor } from './VariablesEditor.js';

export function ProjectView() {
  const plan = useApp((s) => s.plan);
  const problems = useApp((s) => s.problems);
  const loading = useApp((s) => s.projectLoading);
  const error = useApp((s) => s.projectError);
  const projectDir = useApp((s) => s.projectDir);
  const startRun = useApp((s) => s.startRun);
  const runError = useApp((s) => s.runError);
  const pipeline = useApp((s) => s.pipeline);
  // Re-created when the applied choice changes (another project resets it), so its fields follow.
  const choiceForm = <PipelineChoiceForm key={JSON.stringify(pipeline)} />;

  // Reading again (another pipeline chosen): the current graph stays, with its open groups, until the new plan comes.
  if (loading && !plan) return <p className="empty">Reading {projectDir}…</p>;
  if (error) return <p className="error" role="alert">{error}</p>;
  if (problems && !loading) {
    const choiceMade = Object.keys(pipeline).length > 0;
    // A bad branch or tag name is reported here too: the choice stays at hand to correct it.
    return (
      <>
        {choiceForm}
        <section className="panel problems" role="alert">
          <h2>{choiceMade ? 'This pipeline cannot be read' : "This project's CI file has problems"}</h2>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>
                <code>{formatProblem(problem)}</code>
              </li>
            ))}
          </ul>
          <p>{choiceMade ? 'Correct the pipeline above, or fix the file in your editor and open the project again.' : 'Fix them in your editor, then open the project again.'}</p>
        </section>
      </>
    );
  }
  if (!plan) return <p className="empty">Open a project folder that holds a .gitlab-ci.yml or .alloy-ci.json.</p>;

  return (
    <div className="project">
      <div className="toolbar">
        <span>
          <strong>{plan.projectPath}</strong> <span className="muted">{plan.file}</span>
          {loading && <span className="muted"> · reading…</span>}
        </span>
        <KeepOnFailureToggle />
        <button type="button" className="primary" onClick={() => void startRun({})}>
          Run pipeline
        </button>
      </div>
      {choiceForm}
      {runError && <p className="error" role="alert">{runError}</p>}
      {plan.warnings.length > 0 && (
        <ul className="warnings">
          {plan.warnings.map((warning, index) => (
            <li key={index}>{formatProblem(warning)}</li>
          ))}
        </ul>
      )}
      <div className="graph-scroll">
        <PipelineGraph plan={plan} onRunJob={(job, withNeeds) => void startRun({ jobs: [job], withNeeds })} />
      </div>
      <VariablesEditor />
    </div>
  );
}
