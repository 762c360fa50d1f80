// The plan the UI gets from openProject crosses to the renderer and, with `jobsim serve`, to a browser:
// secrets from the project's secrets file never travel with it (issue 13, point 3).

import { describe, expect, it, vi } from 'vitest';
import { createLocalApi, type LocalApiDeps } from '../../../main/app/local-api.js';
import { load, writeProject } from '../parse/helpers.js';

const SECRET = 'ui-pl4n-s3cret-99';

describe('openProject', () => {
  it('masks secret values in variables, cache keys and scripts', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  cache: {key: "k-$TOKEN", paths: [v]}\n  script: [echo hi]\n',
      '.jobsim/secrets.env': `TOKEN=${SECRET}\n`,
    });
    const plan = await load(dir);
    expect(JSON.stringify(plan)).toContain(SECRET);
    const api = createLocalApi({ loadPipeline: vi.fn(async () => plan) } as unknown as LocalApiDeps);
    const result = await api.openProject(dir);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    if (!result.ok) throw new Error('expected a plan');
    const job = result.plan.jobs[0];
    expect(job?.variables.find((v) => v.key === 'TOKEN')?.value).toBe('[MASKED]');
    expect(job?.caches[0]?.key).toEqual({ kind: 'literal', value: 'k-[MASKED]' });
  });
});
