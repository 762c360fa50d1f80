// The test images, built with no registry: FROM scratch + Debian's busybox-static binary. Each image
// carries a label with a hash of its recipe (Dockerfile, files, busybox binary) and is rebuilt only
// when it is missing or its recipe changed.

import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEMO_IMAGE, HTTP_OK_BODY, HTTP_PORT, RIG_LABEL, RIG_RECIPE_LABEL, TEST_IMAGES } from './constants.js';
import { run, runOk, say } from './exec.js';

/** Where Debian's busybox-static puts its binary (the dynamic `busybox` package uses the same path). */
export const BUSYBOX_STATIC = '/bin/busybox';

/**
 * True for a statically linked ELF executable (no PT_INTERP program header). A dynamically linked
 * busybox would fail in a FROM scratch image with a confusing "no such file or directory".
 */
export function isStaticElf(path: string): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return false;
  }
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = bytes[4] === 2;
  const little = bytes[5] === 1;
  const u16 = (at: number): number => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number): number => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const headerOffset = is64 ? Number(little ? bytes.readBigUInt64LE(32) : bytes.readBigUInt64BE(32)) : u32(28);
  const entrySize = u16(is64 ? 54 : 42);
  const count = u16(is64 ? 56 : 44);
  const PT_INTERP = 3;
  for (let i = 0; i < count; i += 1) {
    const at = headerOffset + i * entrySize;
    if (at + 4 > bytes.length) return false;
    if (u32(at) === PT_INTERP) return false;
  }
  return true;
}

interface Recipe {
  image: string;
  dockerfile: string;
  /** Files in the build context besides the busybox binary: path → content and mode. */
  files: Record<string, { content: string; mode: number }>;
}

// Every recipe starts with the same steps so the builder shares these layers between images.
const BASE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox","--install","-s","/bin"]
COPY etc/ /etc/
RUN mkdir -p /tmp /root /home && chmod 1777 /tmp
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
`;

const BASE_FILES: Recipe['files'] = {
  'etc/passwd': { content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n', mode: 0o644 },
  'etc/group': { content: 'root:x:0:\nnogroup:x:65534:\n', mode: 0o644 },
};

export const RECIPES: readonly Recipe[] = [
  { image: TEST_IMAGES.shell, dockerfile: `${BASE}CMD ["sh"]\n`, files: BASE_FILES },
  {
    image: TEST_IMAGES.http,
    dockerfile: `${BASE}RUN mkdir -p /www && printf '%s' '${HTTP_OK_BODY}' > /www/index.html
EXPOSE ${HTTP_PORT}
CMD ["httpd","-f","-p","${HTTP_PORT}","-h","/www"]
`,
    files: BASE_FILES,
  },
  {
    image: TEST_IMAGES.entrypoint,
    dockerfile: `${BASE}COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["sh"]
`,
    files: {
      ...BASE_FILES,
      'entrypoint.sh': { content: '#!/bin/sh\nexport ENTRYPOINT_RAN=yes\nexec "$@"\n', mode: 0o755 },
    },
  },
];

export function recipeHash(recipe: Recipe, busyboxSha256: string): string {
  const hash = createHash('sha256').update(`busybox ${busyboxSha256}\n`).update(recipe.dockerfile);
  for (const [path, file] of Object.entries(recipe.files).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`\0${path}\0${file.mode.toString(8)}\0${file.content}`);
  }
  return hash.digest('hex').slice(0, 16);
}

interface LocalImage {
  id: string;
  labels: Record<string, string>;
}

export async function inspectImage(name: string): Promise<LocalImage | undefined> {
  const result = await run('docker', ['image', 'inspect', '--format', '{{.Id}} {{json .Config.Labels}}', name]);
  if (result.code !== 0) return undefined;
  const line = result.stdout.trim();
  const space = line.indexOf(' ');
  const labels = JSON.parse(line.slice(space + 1)) as Record<string, string> | null;
  return { id: line.slice(0, space), labels: labels ?? {} };
}

async function build(recipe: Recipe, hash: string): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'jobsim-rig-image-'));
  try {
    copyFileSync(BUSYBOX_STATIC, join(context, 'busybox'));
    chmodSync(join(context, 'busybox'), 0o755);
    for (const [path, file] of Object.entries(recipe.files)) {
      mkdirSync(dirname(join(context, path)), { recursive: true });
      writeFileSync(join(context, path), file.content);
      chmodSync(join(context, path), file.mode);
    }
    writeFileSync(join(context, 'Dockerfile'), recipe.dockerfile);
    // The classic builder needs no buildx plugin and can run exec-form RUN in a scratch image.
    const env = { ...process.env, DOCKER_BUILDKIT: '0' };
    const args = ['build', '-q', '-t', recipe.image, '--label', `${RIG_LABEL}=true`, '--label', `${RIG_RECIPE_LABEL}=${hash}`, context];
    await runOk('docker', args, { env, timeoutMs: 300_000 });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Builds the images whose recipe changed or that are missing; `only` limits it to some images. */
export async function ensureImages(only?: readonly string[]): Promise<void> {
  const busyboxSha256 = createHash('sha256').update(readFileSync(BUSYBOX_STATIC)).digest('hex');
  const recipes = RECIPES.filter((r) => !only || only.includes(r.image));
  const current = await Promise.all(recipes.map((r) => inspectImage(r.image)));
  for (const [index, recipe] of recipes.entries()) {
    const hash = recipeHash(recipe, busyboxSha256);
    const found = current[index];
    if (found?.labels[RIG_RECIPE_LABEL] === hash) continue;
    await build(recipe, hash);
    say(`${found ? 'rebuilt' : 'built'} ${recipe.image}${found ? ' (recipe changed)' : ''}`);
  }
}

/**
 * Tags the shell image as busybox:1.36 for the offline demo. A busybox:1.36 the rig did not make (the
 * real one, pulled by the user) is left alone: it serves the demo just as well.
 */
export async function ensureDemoImage(): Promise<'tagged' | 'present' | 'foreign'> {
  const [demo, shell] = await Promise.all([inspectImage(DEMO_IMAGE), inspectImage(TEST_IMAGES.shell)]);
  if (demo && demo.labels[RIG_LABEL] !== 'true') return 'foreign';
  if (demo && shell && demo.id === shell.id) return 'present';
  await runOk('docker', ['tag', TEST_IMAGES.shell, DEMO_IMAGE]);
  say(`tagged ${TEST_IMAGES.shell} as ${DEMO_IMAGE}`);
  return 'tagged';
}
