// A whole job through runJob: its script reaches a service by alias on the job's network.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runJob } from '../../../main/engine/run-one-job.js';
import type { LogEvent, ResourceEvent, ServiceEvent } from '../../../shared/events.js';
import { HTTP_IMAGE, ServiceFixture, jobPlan, servicePlan } from '../support/fixtures-services.js';

let fixture: ServiceFixture;

beforeAll(async () => {
  fixture = await ServiceFixture.create();
  writeFileSync(join(fixture.hostProjectDir, 'README.md'), 'project\n');
});

afterAll(async () => {
  await fixture.cleanUp();
});

it('runs a job whose script reaches its service by alias, and removes the service afterwards', async () => {
  const job = jobPlan('integration', {
    services: [servicePlan(HTTP_IMAGE, { customAliases: ['web'] })],
    script: ['echo "web: $(wget -qO- http://web:8080/)"', 'echo "derived: $(wget -qO- http://jobsim-test__http:8080/)"'],
  });
  const run = fixture.run();
  const outcome = await runJob(job, run, []);
  const buildLines = fixture.events.filter((e): e is LogEvent => e.type === 'log' && e.source === 'build').map((e) => e.text);
  expect(outcome.state, fixture.logs().join('\n')).toBe('success');
  expect(buildLines).toEqual(expect.arrayContaining(['web: jobsim-http-ok', 'derived: jobsim-http-ok']));
  const states = fixture.events.filter((e): e is ServiceEvent => e.type === 'service').map((e) => e.state);
  expect(states).toEqual(['starting', 'healthy']);
  const service = fixture.events.find((e): e is ResourceEvent => e.type === 'resource' && e.role === `service:${HTTP_IMAGE}` && e.action === 'created');
  const left = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ id: [service?.id ?? 'none'] }) });
  expect(left).toEqual([]);
});
