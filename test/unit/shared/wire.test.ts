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
    ['{"kind":"shell-open","id":1,"target":{"runId":"../x","job":"t"},"size":{"cols":80,"rows":24}}', 'runId is not a run id'],
    ['{"kind":"shell-open","id":1,"target":{"runId":"last","job":"t"},"size":{"cols":0,"rows":24}}', 'cols and rows must be whole numbers from 1 to 1000'],
    ['{"kind":"shell-input","id":1,"data":5}', 'shell input must be a string'],
  ])('refuses %s', (text, message) => {
    expect(() => decodeClientMessage(text)).toThrow(new WireError(message));
  });

  it('decodes the shell messages', () => {
    expect(decodeClientMessage('{"kind":"shell-open","id":3,"target":{"runId":"last","job":"test","service":"db"},"size":{"cols":120,"rows":30}}')).toEqual({
      kind: 'shell-open',
      id: 3,
      target: { runId: 'last', job: 'test', service: 'db' },
      size: { cols: 120, rows: 30 },
    });
    expect(decodeClientMessage('{"kind":"shell-input","id":3,"data":"ls\\r"}')).toEqual({ kind: 'shell-input', id: 3, data: 'ls\r' });
    expect(decodeClientMessage('{"kind":"shell-resize","id":3,"size":{"cols":90,"rows":20}}')).toEqual({ kind: 'shell-resize', id: 3, size: { cols: 90, rows: 20 } });
    expect(decodeClientMessage('{"kind":"shell-close","id":3}')).toEqual({ kind: 'shell-close', id: 3 });
    expect(decodeServerMessage('{"kind":"shell","id":3,"output":{"kind":"exit","code":5}}')).toEqual({ kind: 'shell', id: 3, output: { kind: 'exit', code: 5 } });
  });

  it('validates rerun, compare and kept requests', () => {
    expect(validateCallArgs.rerun([{ runId: 'last', job: 'test', images: 'latest', variables: { FIX: '1' }, script: ['make'], fromKept: true, extra: 1 }])).toEqual([
      { runId: 'last', job: 'test', images: 'latest', variables: { FIX: '1' }, script: ['make'], fromKept: true },
    ]);
    expect(() => validateCallArgs.rerun([{ runId: 'last', images: 'newest' }])).toThrow('images must be pinned or latest');
    expect(() => validateCallArgs.rerun([{ runId: 'last', script: 'make' }])).toThrow('script must be a list of commands');
    expect(validateCallArgs.compareRuns(['20261123-abc', 'last', undefined])).toEqual(['20261123-abc', 'last', undefined]);
    expect(() => validateCallArgs.compareRuns(['a/b', 'last'])).toThrow('runA is not a run id');
    expect(() => validateCallArgs.releaseKept(['last', ''])).toThrow('job is required');
    expect(validateCallArgs.startRun([{ projectDir: '/p', keepOnFailure: true }])[0].keepOnFailure).toBe(true);
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
