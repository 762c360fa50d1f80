// `jobsim image …` as a user runs it: output, exit codes and error messages (the command object is called
// directly, stdout captured).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { imageCommand } from '../../../main/cli/image.js';
import { UsageError } from '../../../main/cli/errors.js';
import { EnvironmentError, InputError } from '../../../main/errors.js';
import { OPEN_REGISTRY, TEST_IMAGES } from '../../rig/constants.js';
import { ImageHarness } from './harness.js';

let harness: ImageHarness;
let output = '';

beforeAll(async () => {
  harness = await ImageHarness.create();
});
afterAll(async () => {
  await harness.cleanup();
});
afterEach(() => {
  vi.restoreAllMocks();
  output = '';
});

function capture(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += chunk.toString();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

describe('jobsim image', () => {
  it('check --json prints the registry digest and compares the local copy', async () => {
    const target = harness.name(OPEN_REGISTRY, 'cli-check');
    const digest = await harness.push(target);
    capture();
    expect(await imageCommand.run(['check', target, '--json'])).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ image: target, digest, local: { present: false } });
  });

  it('save then load round-trips and reports sizes and names', async () => {
    const name = `images-test/cli-saved-${harness.id}:1`;
    await harness.tagLocal(name);
    const file = join(harness.tmpDir(), 'out.tar');
    capture();
    expect(await imageCommand.run(['save', name, '-o', file])).toBe(0);
    expect(output).toMatch(new RegExp(`saved ${name} to .*out\\.tar \\(\\d+ bytes\\)`));
    await harness.removeLocal(name);
    output = '';
    expect(await imageCommand.run(['load', file])).toBe(0);
    expect(output).toContain(`Loaded image: ${name}`);
  });

  it('lint exits 1 when a check fails and prints JSON on request', async () => {
    capture();
    expect(await imageCommand.run(['lint', TEST_IMAGES.shell, '--profile', 'spacelift', '--json'])).toBe(1);
    expect(JSON.parse(output)).toMatchObject({ image: TEST_IMAGES.shell, profile: 'spacelift', status: 'fail' });
  });

  it('gives clear errors for wrong use', async () => {
    await expect(imageCommand.run([])).rejects.toBeInstanceOf(UsageError);
    await expect(imageCommand.run(['lint', TEST_IMAGES.shell, '--profile', 'jenkins'])).rejects.toThrow('unknown profile "jenkins"');
    await expect(imageCommand.run(['check', 'Not/Valid'])).rejects.toBeInstanceOf(InputError);
    await expect(imageCommand.run(['save', TEST_IMAGES.shell])).rejects.toThrow('-o FILE is required');
    await expect(imageCommand.run(['save', `images-test/absent-${harness.id}:1`, '-o', join(harness.tmpDir(), 'x.tar')])).rejects.toBeInstanceOf(EnvironmentError);
    await expect(imageCommand.run(['load', '/nonexistent/file.tar'])).rejects.toThrow('cannot read /nonexistent/file.tar');
    const notImage = join(harness.tmpDir(), 'not-an-image.tar');
    writeFileSync(notImage, 'hello');
    await expect(imageCommand.run(['load', notImage])).rejects.toThrow(/not-an-image\.tar is not an image archive the engine can load/);
    await expect(imageCommand.run(['save', TEST_IMAGES.shell, '-o', '/nonexistent-dir/x.tar'])).rejects.toThrow('cannot write /nonexistent-dir/x.tar');
    await expect(imageCommand.run(['check', `sha256:${'a'.repeat(64)}`])).rejects.toThrow('is an image ID');
  });
});
