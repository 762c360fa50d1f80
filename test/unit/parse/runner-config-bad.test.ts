// Every test/fixtures/bad/runner-*/ folder holds one invalid config.toml and the exact message it must produce.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { readRunnerConfig } from '../../../main/parse/runner-config.js';
import { FIXTURES } from './helpers.js';

const BAD = join(FIXTURES, 'bad');
const cases = readdirSync(BAD).filter((name) => name.startsWith('runner-'));

describe('bad runner config corpus', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('%s', async (name) => {
    const folder = join(BAD, name);
    const expected = readFileSync(join(folder, 'expected.txt'), 'utf8').trim();
    const error = await readRunnerConfig(join(folder, 'config.toml')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    // Messages name the file as given; the corpus stores them relative to the case folder.
    expect((error as InputError).message.split(`${folder}/`).join('')).toBe(expected);
    for (const problem of (error as InputError).problems) expect(problem.where?.line).toBeGreaterThan(0);
  });
});
