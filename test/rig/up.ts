// The test rig: everything the tests need from the machine, made idempotent and quick when already up.
//   tsx test/rig/up.ts             engine, test images, local registries (seeded), chromium, sshd and podman binaries
//   tsx test/rig/up.ts --for-demo  only the engine and busybox:1.36 (the demo image)
// Prints one line per action it takes; nothing when everything is already up. Exit 2 with a message
// and advice when the machine needs something the rig cannot do.

import { parseArgs } from 'node:util';
import { missingChromiumPackages } from './chromium.js';
import { DEMO_IMAGE, TEST_IMAGES } from './constants.js';
import { ensureEngine } from './engine.js';
import { flushSaid, RigError, say, sayInOneLine } from './exec.js';
import { BUSYBOX_STATIC, ensureDemoImage, ensureImages, inspectImage, isStaticElf } from './images.js';
import { canInstall, installPackages } from './packages.js';
import { disablePackagedRegistryService, ensureRegistries, missingRegistryPackages } from './registries.js';
import { seedRegistries } from './registry-seed.js';
import { missingPodmanPackages } from './podman.js';
import { disablePackagedSshService, missingSshdPackages } from './sshd.js';

const HELP = `Usage: tsx test/rig/up.ts [--for-demo]
  (no option)   Docker engine, test images, local registries on ${'127.0.0.1:5000/5001'}, chromium, openssh-server (its service disabled)
  --for-demo    only the Docker engine and ${DEMO_IMAGE}
`;

/** Debian's dynamic `busybox` package uses the same path; only busybox-static works FROM scratch. */
const haveStaticBusybox = (): boolean => isStaticElf(BUSYBOX_STATIC);

async function upForDemo(): Promise<void> {
  await ensureEngine();
  if (await inspectImage(DEMO_IMAGE)) return;
  if (!haveStaticBusybox()) {
    if (!canInstall()) {
      say(`${DEMO_IMAGE} is not here and cannot be built offline without busybox-static; the demo will pull it`);
      return;
    }
    await installPackages(['busybox-static'], 'to build the demo image offline');
  }
  await ensureImages([TEST_IMAGES.shell]);
  await ensureDemoImage();
}

async function upForTests(): Promise<void> {
  await ensureEngine();

  const registryPackages = missingRegistryPackages();
  const packages = [...registryPackages];
  if (!haveStaticBusybox()) packages.push('busybox-static');
  const chromium = missingChromiumPackages();
  if (chromium.length > 0 && canInstall()) packages.push(...chromium);
  const sshdPackages = canInstall() ? missingSshdPackages() : [];
  packages.push(...sshdPackages);
  if (canInstall()) packages.push(...missingPodmanPackages());
  await installPackages(packages, 'test images, local registries, UI tests, remote-engine and Podman tests');
  if (registryPackages.includes('docker-registry')) await disablePackagedRegistryService();
  if (sshdPackages.length > 0) await disablePackagedSshService();
  if (chromium.length > 0 && !canInstall()) {
    say('warning: /usr/bin/chromium is missing and the rig cannot install it (not root on Debian); the UI tests need it');
  }

  // Registries first: they do not depend on the images, and other tests only need them answering.
  await ensureRegistries();
  await ensureImages();
  await ensureDemoImage();
  await seedRegistries();
}

async function main(): Promise<number> {
  let values: { 'for-demo': boolean; help: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'for-demo': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    throw new RigError(error instanceof Error ? error.message : String(error), HELP.trim());
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values['for-demo']) {
    sayInOneLine('jobsim');
    try {
      await upForDemo();
    } finally {
      flushSaid();
    }
  } else {
    await upForTests();
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof RigError) {
    process.stderr.write(`rig: ${error.message}\n`);
    if (error.advice) process.stderr.write(`  ${error.advice}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`rig: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
