// An artifact whose name holds a secret is stored under the masked name, never under the secret
// (issue 13, point 3): the run's folder is history.

import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ArtifactSelector, checkArtifactPattern } from '../../../main/engine/artifacts/paths.js';
import { storeSelected } from '../../../main/engine/artifacts/store.js';

const SECRET = 'n4me-s3cr3t-42';

function archive(entries: { name: string; type?: 'file' | 'directory' | 'symlink'; body?: string; linkname?: string }[]): NodeJS.ReadableStream {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.body ?? '');
  pack.finalize();
  return Readable.from(pack);
}

function allNames(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('artifact names holding a secret', () => {
  it('are stored masked, with a warning that never names the secret', async () => {
    const destDir = mkdtempSync(join(tmpdir(), 'jobsim-art-'));
    const check = checkArtifactPattern('out/', '/builds/app');
    if (!check.ok) throw new Error('pattern');
    const warnings: string[] = [];
    await storeSelected({
      archive: archive([
        { name: 'app/', type: 'directory' },
        { name: 'app/out/', type: 'directory' },
        { name: `app/out/${SECRET}.txt`, body: 'hello' },
        { name: 'app/out/link', type: 'symlink', linkname: `${SECRET}.txt` },
        { name: 'app/out/plain.txt', body: 'plain' },
      ]),
      rootedAt: 'project-dir',
      projectDir: '/builds/app',
      selector: new ArtifactSelector([check.pattern], []),
      destDir,
      warn: (text) => warnings.push(text),
      secrets: [SECRET],
    });
    const names = allNames(destDir);
    expect(names.some((n) => n.includes(SECRET))).toBe(false);
    expect(readFileSync(join(destDir, 'out', '[MASKED].txt'), 'utf8')).toBe('hello');
    expect(readlinkSync(join(destDir, 'out', 'link'))).toBe('[MASKED].txt');
    expect(readFileSync(join(destDir, 'out', 'plain.txt'), 'utf8')).toBe('plain');
    expect(warnings.join('\n')).not.toContain(SECRET);
    expect(warnings).toEqual(['out/[MASKED].txt: its name holds the value of a masked variable; stored and passed on as out/[MASKED].txt']);
  });
});
