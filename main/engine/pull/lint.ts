// `jobsim image lint`: gathers facts about a local image (inspect + one short-lived probe container with no
// network) and applies the lint rules of a profile.

import type { DockerHandle } from '../../docker/client.js';
import { inspectImage, probeImage } from '../../docker/images.js';
import { EnvironmentError } from '../../errors.js';
import type { ImageRef } from '../../../shared/image-ref.js';
import { engineReference } from './local.js';
import { lintImage, type ImageFacts, type LintProfile, type LintReport } from './lint-rules.js';

const SHELLS = ['/bin/sh', '/bin/bash'];

/** POSIX sh only: prints key=value lines the parser below reads. */
export function probeScript(workDir: string): string {
  const dir = `'${workDir.replace(/'/g, `'\\''`)}'`;
  return [
    'for s in /bin/bash /usr/bin/bash /bin/sh /usr/bin/sh; do [ -x "$s" ] && echo "shell=$s"; done',
    'OLDIFS=$IFS; IFS=:; for d in $PATH; do if [ -x "$d/ps" ]; then echo "ps=$d/ps"; break; fi; done; IFS=$OLDIFS',
    '[ -r /etc/passwd ] && while IFS=: read -r n x u rest; do echo "user=$n:$u"; done < /etc/passwd',
    `if [ -d ${dir} ]; then set -- $(ls -ldn ${dir}); echo "owner=$3"; fi`,
    'true',
  ].join('\n');
}

export function parseProbeOutput(output: string): NonNullable<ImageFacts['probe']> {
  const probe: NonNullable<ImageFacts['probe']> = { shells: [], users: {} };
  for (const line of output.split('\n')) {
    const [key, ...rest] = line.trim().split('=');
    const value = rest.join('=');
    if (key === 'shell' && value && !probe.shells.includes(value)) probe.shells.push(value);
    else if (key === 'ps' && value) probe.psPath = value;
    else if (key === 'user') {
      const colon = value.lastIndexOf(':');
      const uid = Number(value.slice(colon + 1));
      if (colon > 0 && Number.isInteger(uid)) probe.users[value.slice(0, colon)] = uid;
    } else if (key === 'owner' && /^\d+$/.test(value)) probe.workDirOwner = Number(value);
  }
  return probe;
}

export async function gatherImageFacts(docker: DockerHandle, ref: ImageRef, profile: LintProfile, labels: Record<string, string>): Promise<ImageFacts> {
  const name = ref.isImageId ? ref.written : engineReference(ref);
  const image = await inspectImage(docker, name);
  if (!image) throw new EnvironmentError(`image ${ref.written} is not present locally`, `pull it first (\`docker pull ${ref.written}\`) or load it (\`jobsim image load FILE\`); lint never pulls`);
  const base = image.labels['org.opencontainers.image.base.name'];
  const facts: ImageFacts = {
    reference: ref.written,
    registry: ref.registry,
    architecture: image.architecture,
    os: image.os,
    created: image.created,
    entrypoint: image.entrypoint,
    cmd: image.cmd,
    fromRegistry: image.repoDigests.length > 0,
    ...(base ? { baseName: base } : {}),
  };
  const errors: string[] = [];
  for (const shell of SHELLS) {
    const result = await probeImage(docker, image.id, shell, probeScript(profile.workDir), labels);
    if (result.started) return { ...facts, probe: parseProbeOutput(result.output) };
    errors.push(`${shell}: ${result.startError ?? 'did not start'}`);
  }
  return { ...facts, probeError: errors.join('; ') };
}

export async function lintLocalImage(docker: DockerHandle, ref: ImageRef, profile: LintProfile, labels: Record<string, string> = {}): Promise<LintReport> {
  return lintImage(await gatherImageFacts(docker, ref, profile, labels), profile);
}
