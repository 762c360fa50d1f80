import { describe, expect, it } from 'vitest';
import { decodeClientMessage, decodeServerMessage, validateCallArgs, WireError } from '../../../shared/wire.js';

describe('wire protocol', () => {
  it('decodes calls, subscriptions and unsubscriptions', () => {
    expect(decodeClientMessage('{"kind":"call","id":1,"method":"doctor","args":[]}')).toEqual({ kind: 'call', id: 1, method: 'doctor', args: [] });
    expect(decodeClientMessage('{"kind":"subscribe","id":2,"runId":"20261123-abc"}')).toEqual({ kind: 'subscribe', id: 2, runId: '20261123-abc' });
    expect(decodeClientMessage('{"kind":"unsubscribe","id":2}')).toEqual({ kind: 'unsubscribe', id: 2 });
  });

  it.each([
    ['not json', 'message is not valid JSON'],
    ['[1]', 'message must be a JSON object'],
    ['{"kind":"call","id":-1,"method":"doctor","args":[]}', 'message id must be a non-negative integer'],
    ['{"kind":"call","id":1,"method":"rmrf","args":[]}', 'unknown method "rmrf"'],
    ['{"kind":"call","id":1,"method":"doctor","args":{}}', 'call args must be an array'],
    ['{"kind":"subscribe","id":1,"runId":"../../etc"}', 'subscribe needs a valid runId'],
    ['{"kind":"shell","id":1}', 'unknown message kind "shell"'],
  ])('refuses %s', (text, message) => {
    expect(() => decodeClientMessage(text)).toThrow(new WireError(message));
  });

  it('validates startRun requests field by field', () => {
    const [request] = validateCallArgs.startRun([{ projectDir: '/p', jobs: ['build'], variables: { A: '1' }, secrets: { TOKEN: 's' }, concurrency: 2, extra: 'dropped' }]);
    expect(request).toEqual({ projectDir: '/p', file: undefined, runnerConfig: undefined, jobs: ['build'], withNeeds: false, variables: { A: '1' }, secrets: { TOKEN: 's' }, concurrency: 2 });
    expect(() => validateCallArgs.startRun([{}])).toThrow('projectDir is required');
    expect(() => validateCallArgs.startRun([{ projectDir: '/p', jobs: 'build' }])).toThrow('jobs must be a list of job names');
    expect(() => validateCallArgs.startRun([{ projectDir: '/p', variables: { 'A B': 'x' } }])).toThrow('variables: "A B" is not a valid variable name');
    expect(() => validateCallArgs.startRun([{ projectDir: '/p', concurrency: 0 }])).toThrow('concurrency must be an integer from 1 to 64');
    expect(() => validateCallArgs.cancelRun(['a/b'])).toThrow('invalid runId');
    expect(() => validateCallArgs.openProject([42])).toThrow('projectDir must be a string');
  });

  it('decodes server messages', () => {
    expect(decodeServerMessage('{"kind":"error","id":3,"message":"bad","problems":[{"message":"x"}]}')).toEqual({ kind: 'error', id: 3, message: 'bad', problems: [{ message: 'x' }] });
    expect(decodeServerMessage('{"kind":"events","id":3,"events":[]}')).toEqual({ kind: 'events', id: 3, events: [] });
  });
});
