// The pipeline and server choices on the wire: startRun and openProject take them only in their shape,
// with messages that name the field.

import { describe, expect, it } from 'vitest';
import { validateCallArgs, WireError } from '../../../shared/wire.js';

const start = (extra: Record<string, unknown>) => validateCallArgs.startRun([{ projectDir: '/p', ...extra }])[0];

describe('startRun pipeline', () => {
  it('passes a valid choice through, and none when absent', () => {
    expect(start({ pipeline: { ref: 'feature', mrTarget: 'main', source: 'merge_request_event' } }).pipeline).toEqual({ ref: 'feature', mrTarget: 'main', source: 'merge_request_event' });
    expect(start({ pipeline: { tag: 'v1.0', ref: null } }).pipeline).toEqual({ tag: 'v1.0' });
    expect(start({}).pipeline).toBeUndefined();
    expect('pipeline' in start({ pipeline: null })).toBe(false);
  });

  it.each([
    ['main', 'pipeline must be an object with ref, tag, source, mrTarget'],
    [['main'], 'pipeline must be an object with ref, tag, source, mrTarget'],
    [{ branch: 'main' }, 'pipeline has unknown key "branch" (allowed: ref, tag, source, mrTarget)'],
    [{ ref: 5 }, 'pipeline.ref must be a string'],
    [{ tag: '  ' }, 'pipeline.tag must not be empty'],
    [{ mrTarget: 'x'.repeat(256) }, 'pipeline.mrTarget is longer than 255 characters'],
    [{ source: 'cron' }, 'pipeline.source must be one of push, merge_request_event, schedule, web, api, trigger'],
    [{ ref: 'a', tag: 'b' }, 'pipeline: give ref or tag, not both'],
  ])('refuses %j', (pipeline, message) => {
    expect(() => start({ pipeline })).toThrow(new WireError(message));
  });
});

describe('startRun server', () => {
  it('passes the four fields and refuses others', () => {
    const server = { serverUrl: 'https://git.example.org', projectPath: 'acme/shop', defaultBranch: 'trunk', registry: 'registry.example.org' };
    expect(start({ server }).server).toEqual(server);
    expect(() => start({ server: { token: 'x' } })).toThrow(new WireError('server has unknown key "token" (allowed: serverUrl, projectPath, defaultBranch, registry)'));
    expect(() => start({ server: { serverUrl: 1 } })).toThrow(new WireError('server.serverUrl must be a string'));
  });
});

describe('openProject pipeline', () => {
  it('is the fourth argument, checked the same way', () => {
    expect(validateCallArgs.openProject(['/p', undefined, undefined, { tag: 'v2' }])).toEqual(['/p', undefined, undefined, { tag: 'v2' }]);
    expect(validateCallArgs.openProject(['/p'])).toEqual(['/p', undefined, undefined, undefined]);
    expect(() => validateCallArgs.openProject(['/p', undefined, undefined, { source: 'nightly' }])).toThrow(/pipeline.source must be one of/);
  });
});
