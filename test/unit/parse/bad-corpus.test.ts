// Every folder in test/fixtures/bad/ holds one invalid CI file and the exact message it must produce.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { FIXTURES, load } from './helpers.js';

const BAD = join(FIXTURES, 'bad');
// PARSE-RUNNER's runner-config cases live in the same folder and have their own test.
const cases = readdirSync(BAD).filter((name) => !name.startsWith('runner-'));

describe('bad input corpus', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('%s', async (name) => {
    const expected = readFileSync(join(BAD, name, 'expected.txt'), 'utf8').trim();
    const error = await load(join(BAD, name)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(expected);
    // Every problem carries a position.
    for (const problem of (error as InputError).problems) expect(problem.where?.line).toBeGreaterThan(0);
  });
});
