import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStaticElf, RECIPES, recipeHash } from '../../rig/images.js';

const dir = mkdtempSync(join(tmpdir(), 'jobsim-rig-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A minimal little-endian ELF64 file with the given program header types. */
function elf64(programHeaderTypes: number[]): string {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header.writeBigUInt64LE(64n, 32); // e_phoff
  header.writeUInt16LE(56, 54); // e_phentsize
  header.writeUInt16LE(programHeaderTypes.length, 56); // e_phnum
  const entries = programHeaderTypes.map((type) => {
    const entry = Buffer.alloc(56);
    entry.writeUInt32LE(type, 0);
    return entry;
  });
  const path = join(dir, `elf-${programHeaderTypes.join('-') || 'none'}`);
  writeFileSync(path, Buffer.concat([header, ...entries]));
  return path;
}

describe('telling a static busybox from a dynamic one', () => {
  it('accepts an executable with no interpreter', () => {
    expect(isStaticElf(elf64([1, 1, 4]))).toBe(true);
  });

  it('rejects an executable that needs a dynamic loader (PT_INTERP)', () => {
    expect(isStaticElf(elf64([6, 3, 1]))).toBe(false);
  });

  it('rejects files that are not ELF, and missing files', () => {
    const text = join(dir, 'script');
    writeFileSync(text, '#!/bin/sh\necho hi\n'.repeat(10));
    expect(isStaticElf(text)).toBe(false);
    expect(isStaticElf(join(dir, 'missing'))).toBe(false);
  });
});

describe('recipe hashes (rebuild only when the recipe changed)', () => {
  const [shell, http] = RECIPES;

  it('is stable for the same recipe and busybox binary', () => {
    expect(recipeHash(shell!, 'abc')).toBe(recipeHash(shell!, 'abc'));
    expect(recipeHash(shell!, 'abc')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with the busybox binary, the Dockerfile, or a file\'s content or mode', () => {
    const base = recipeHash(shell!, 'abc');
    expect(recipeHash(shell!, 'abd')).not.toBe(base);
    expect(recipeHash({ ...shell!, dockerfile: `${shell!.dockerfile}# changed\n` }, 'abc')).not.toBe(base);
    const passwd = shell!.files['etc/passwd']!;
    expect(recipeHash({ ...shell!, files: { ...shell!.files, 'etc/passwd': { ...passwd, mode: 0o600 } } }, 'abc')).not.toBe(base);
    expect(recipeHash({ ...shell!, files: { ...shell!.files, 'etc/passwd': { ...passwd, content: 'root:x:0:0::/:/bin/sh\n' } } }, 'abc')).not.toBe(base);
    expect(recipeHash(http!, 'abc')).not.toBe(base);
  });
});
