// `jobsim image check|save|load|lint`: ask a registry for a tag's digest without pulling, move images to an
// offline machine as a tarball, and check a runner image against a platform's rules.

import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ImageRef } from '../../shared/image-ref.js';
import { findCredentials } from '../docker/auth.js';
import { connectDocker } from '../docker/client.js';
import { EnginePullError, inspectImage, loadImages, saveImages } from '../docker/images.js';
import { fetchManifestDigest, RegistryError, registryProblem } from '../docker/registry.js';
import { lintLocalImage } from '../engine/pull/lint.js';
import { formatLintReport, LINT_PROFILES, type LintProfileName } from '../engine/pull/lint-rules.js';
import { engineReference, repoDigestFor } from '../engine/pull/local.js';
import { parseReference } from '../engine/pull/reference.js';
import { EnvironmentError, InputError } from '../errors.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

const USAGE = [
  'image check REF [--docker-config DIR] [--json]',
  'image save REF... -o FILE',
  'image load FILE',
  'image lint REF [--profile spacelift|gitlab] [--json]',
].join('\n       jobsim ');

function parse(args: string[], options: ParseArgsConfig['options']): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true });
    return { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(`image: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function oneReference(positionals: string[], command: string): ImageRef {
  if (positionals.length !== 1) throw new UsageError(`image ${command}: expected one image reference, got ${positionals.length}`);
  return parseReference(positionals[0] ?? '');
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'docker-config': { type: 'string' }, json: { type: 'boolean', default: false } });
  const ref = oneReference(positionals, 'check');
  if (ref.isImageId) throw new InputError(`${ref.written} is an image ID: it names a local image and has no registry to ask`);
  const dockerConfigDir = stringOption(values, 'docker-config');
  const credentials = await findCredentials(ref.registry, ref.repository, dockerConfigDir ? { dockerConfigDir } : {});
  if (credentials && !values.json) process.stderr.write(`Authenticating with credentials from ${credentials.source}\n`);
  let remote;
  try {
    remote = await fetchManifestDigest(ref.registry, ref.repository, ref.digest ?? ref.tag ?? 'latest', credentials ? { auth: credentials.auth } : {});
  } catch (error) {
    if (error instanceof RegistryError) throw registryProblem(error);
    throw error;
  }
  // The local copy is optional: check works without a Docker engine.
  let local: { present: boolean; digest?: string } | undefined;
  try {
    const { docker } = await connectDocker({ pingTimeoutMs: 2000 });
    const image = await inspectImage(docker, engineReference(ref));
    const digest = image ? repoDigestFor(image, ref) : undefined;
    local = { present: image !== undefined, ...(digest ? { digest } : {}) };
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
  }
  const upToDate = local?.digest !== undefined ? local.digest === remote.digest : undefined;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ image: ref.written, normalized: ref.normalized, digest: remote.digest, mediaType: remote.mediaType, local, upToDate }, null, 2)}\n`);
    return 0;
  }
  const lines = [`${ref.written}`, `  registry digest: ${remote.digest}`];
  if (remote.mediaType) lines.push(`  media type:      ${remote.mediaType}`);
  if (local === undefined) lines.push('  local copy:      unknown (no Docker engine answered)');
  else if (!local.present) lines.push('  local copy:      not present');
  else if (local.digest === undefined) lines.push('  local copy:      present, but its registry digest is unknown (built or loaded locally)');
  else lines.push(`  local copy:      ${local.digest} (${upToDate ? 'up to date' : 'OUTDATED: the tag now points elsewhere'})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function save(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { output: { type: 'string', short: 'o' } });
  const output = stringOption(values, 'output');
  if (!output) throw new UsageError('image save: -o FILE is required');
  if (positionals.length === 0) throw new UsageError('image save: name at least one image');
  const refs = positionals.map(parseReference);
  const { docker } = await connectDocker();
  for (const ref of refs) {
    if (!(await inspectImage(docker, ref.isImageId ? ref.written : engineReference(ref)))) {
      throw new EnvironmentError(`image ${ref.written} is not present locally`, `pull it first (\`docker pull ${ref.written}\`)`);
    }
  }
  // Write next to the target and rename, so a failed save never leaves a truncated tarball behind.
  const partial = `${output}.partial`;
  try {
    await access(dirname(resolve(output)), constants.W_OK);
  } catch {
    throw new InputError(`cannot write ${output}: ${dirname(resolve(output))} does not exist or is not writable`);
  }
  try {
    await pipeline(await saveImages(docker, refs.map((ref) => ref.written)), createWriteStream(partial));
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const { size } = await stat(output);
  process.stdout.write(`saved ${refs.map((ref) => ref.written).join(', ')} to ${output} (${size} bytes)\n`);
  return 0;
}

async function load(args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('image load: expected one FILE');
  const file = positionals[0] ?? '';
  try {
    await stat(file);
  } catch {
    throw new InputError(`cannot read ${file}: no such file`);
  }
  const { docker } = await connectDocker();
  let loaded: string[];
  try {
    loaded = await loadImages(docker, createReadStream(file));
  } catch (error) {
    if (error instanceof EnginePullError) throw new InputError(`${file} is not an image archive the engine can load (${error.message})`);
    throw error;
  }
  if (loaded.length === 0) throw new InputError(`${file} held no images`);
  for (const name of loaded) process.stdout.write(`Loaded image: ${name}\n`);
  return 0;
}

async function lint(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { profile: { type: 'string', default: 'spacelift' }, json: { type: 'boolean', default: false } });
  const profileName = stringOption(values, 'profile') ?? 'spacelift';
  if (!(profileName in LINT_PROFILES)) throw new UsageError(`image lint: unknown profile "${profileName}" (known: ${Object.keys(LINT_PROFILES).join(', ')})`);
  const ref = oneReference(positionals, 'lint');
  const { docker } = await connectDocker();
  const report = await lintLocalImage(docker, ref, LINT_PROFILES[profileName as LintProfileName]);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatLintReport(report));
  return report.status === 'fail' ? 1 : 0;
}

export const imageCommand: CliCommand = {
  name: 'image',
  usage: USAGE,
  summary: 'check a tag digest in its registry, save/load images for offline machines, lint runner images',
  async run(args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'check':
        return check(rest);
      case 'save':
        return save(rest);
      case 'load':
        return load(rest);
      case 'lint':
        return lint(rest);
      default:
        throw new UsageError(`image: expected check, save, load or lint${sub ? `, got "${sub}"` : ''}\nusage: jobsim ${USAGE}`);
    }
  },
};
