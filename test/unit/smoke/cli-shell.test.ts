import { describe, expect, it } from 'vitest';
import { InputError, EnvironmentError } from '../../../main/errors.js';

describe('user-facing errors', () => {
  it('formats input problems as file:line:col: message', () => {
    const error = new InputError([
      { message: 'unknown key "scirpt"; did you mean "script"?', where: { file: '.gitlab-ci.yml', line: 4, col: 3 } },
      { message: 'no jobs defined' },
    ]);
    expect(error.message).toBe('.gitlab-ci.yml:4:3: unknown key "scirpt"; did you mean "script"?\nno jobs defined');
  });

  it('keeps advice apart from the message', () => {
    const error = new EnvironmentError('no Docker engine answered', 'start Docker');
    expect(error.message).toBe('no Docker engine answered');
    expect(error.advice).toBe('start Docker');
  });
});
