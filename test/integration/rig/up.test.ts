// The rig as the test command runs it: when everything is already up (the test command ran it just
// before), another run does nothing and says nothing.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function rig(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test', 'rig', 'up.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('test/rig/up.ts', () => {
  it('is idempotent: with everything up it takes no action and prints nothing', async () => {
    expect(await rig([])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('is silent for the demo too when the engine and the demo image are there', async () => {
    expect(await rig(['--for-demo'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('rejects an unknown option with its usage and exit code 2', async () => {
    const result = await rig(['--fast']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("rig: Unknown option '--fast'");
    expect(result.stderr).toContain('--for-demo');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
