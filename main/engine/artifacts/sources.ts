// Which earlier jobs' artifacts a job downloads, by GitLab's rules (Ci::BuildDependencies): `dependencies:`
// when set (an empty list means none; next to `needs:`, only those also needed with `artifacts: true`);
// else, when the job has `needs:`, the needed jobs with `artifacts: true`; else every job of an earlier
// stage. Only jobs that stored artifacts count.

import type { JobPlan } from '../../../shared/plan.js';
import type { JobRecord } from '../contracts.js';

export type ArtifactSource = JobRecord & { artifactsDir: string };

export function artifactSources(job: JobPlan, upstream: JobRecord[]): ArtifactSource[] {
  const byName = (names: string[]): JobRecord[] =>
    names.flatMap((name) => upstream.filter((record) => record.job.name === name));
  let chosen: JobRecord[];
  const neededWithArtifacts = job.needs?.filter((need) => need.artifacts).map((need) => need.job);
  // With both, GitLab keeps the dependencies that are also needed with artifacts (`needs: []` lists none: dependencies alone).
  if (job.dependencies !== null) chosen = byName(job.needs?.length ? job.dependencies.filter((name) => neededWithArtifacts!.includes(name)) : job.dependencies);
  else if (neededWithArtifacts) chosen = byName(neededWithArtifacts);
  else chosen = upstream.filter((record) => record.job.stageIndex < job.stageIndex);
  const seen = new Set<string>();
  return chosen.filter((record): record is ArtifactSource => {
    if (record.artifactsDir === undefined || seen.has(record.job.name)) return false;
    seen.add(record.job.name);
    return true;
  });
}
