// Runner-image lint rules (Spacelift's custom runner image rules, generalised to GitLab). Pure: facts about
// an image in, findings out, so the rules are tested without Docker.

import { PUBLIC_POOL, allowingRegistryRule } from './pool.js';

export type { LintProfileName } from '../../../shared/image-lint.js';

export interface LintProfile {
  name: LintProfileName;
  /** The user the platform runs jobs as, when it requires one. */
  user?: { name: string; uid: number };
  workDir: string;
  /** Whether the platform runs the image's ENTRYPOINT (GitLab) or replaces it (Spacelift). */
  keepsEntrypoint: boolean;
  /** Whether the platform needs `ps` in the image. */
  needsPs: boolean;
}

export const LINT_PROFILES: Record<LintProfileName, LintProfile> = {
  spacelift: { name: 'spacelift', user: { name: 'spacelift', uid: 1983 }, workDir: '/mnt/workspace', keepsEntrypoint: false, needsPs: true },
  gitlab: { name: 'gitlab', workDir: '/builds', keepsEntrypoint: true, needsPs: false },
};

/** What lint learned about the image: from inspect, and from a probe container (undefined if none ran). */
export interface ImageFacts {
  reference: string;
  registry: string;
  architecture: string;
  os: string;
  created: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** The engine recorded a registry digest for it (it was pulled, not only built or loaded here). */
  fromRegistry: boolean;
  /** Label org.opencontainers.image.base.name, when the image declares its base. */
  baseName?: string;
  probe?: {
    shells: string[];
    psPath?: string;
    /** /etc/passwd entries: name → uid. */
    users: Record<string, number>;
    /** uid owning the profile's work dir, when it exists. */
    workDirOwner?: number;
  };
  /** Why no probe could run (e.g. no shell). */
  probeError?: string;
}

import type { LintFinding, LintProfileName, LintReport, LintStatus } from '../../../shared/image-lint.js';

export type { LintFinding, LintReport, LintStatus } from '../../../shared/image-lint.js';

/** Docker's architecture name for this host (`amd64`, `arm64`, …). */
export function hostArchitecture(nodeArch: string = process.arch): string {
  const names: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return names[nodeArch] ?? nodeArch;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function shellFinding(facts: ImageFacts): LintFinding {
  if (!facts.probe) return { check: 'shell', status: 'fail', message: `no shell found (${facts.probeError ?? 'neither /bin/sh nor /bin/bash could start'}): job scripts need sh or bash` };
  if (facts.probe.shells.length === 0) return { check: 'shell', status: 'fail', message: 'no shell found: job scripts need sh or bash' };
  return { check: 'shell', status: 'pass', message: `shell found: ${facts.probe.shells.join(', ')}` };
}

function psFinding(facts: ImageFacts, profile: LintProfile): LintFinding | undefined {
  if (!facts.probe) return undefined;
  if (facts.probe.psPath) return { check: 'ps', status: 'pass', message: `ps available at ${facts.probe.psPath}` };
  return profile.needsPs
    ? { check: 'ps', status: 'fail', message: 'ps is not installed: Spacelift checks the runner container with ps (install procps, or busybox)' }
    : { check: 'ps', status: 'info', message: 'ps is not installed (not needed by GitLab Runner; handy when debugging with `jobsim shell`)' };
}

function userFindings(facts: ImageFacts, profile: LintProfile): LintFinding[] {
  const wanted = profile.user;
  if (!wanted || !facts.probe) return [];
  const findings: LintFinding[] = [];
  const uid = facts.probe.users[wanted.name];
  const nameForUid = Object.entries(facts.probe.users).find(([, id]) => id === wanted.uid)?.[0];
  if (uid === wanted.uid) findings.push({ check: 'user', status: 'pass', message: `user ${wanted.name} has UID ${wanted.uid}` });
  else if (uid !== undefined) findings.push({ check: 'user', status: 'fail', message: `user ${wanted.name} has UID ${uid}, expected ${wanted.uid}` });
  else if (nameForUid) findings.push({ check: 'user', status: 'warn', message: `UID ${wanted.uid} exists as "${nameForUid}", expected the name ${wanted.name}` });
  else findings.push({ check: 'user', status: 'fail', message: `no user with UID ${wanted.uid} (${wanted.name}): add one, e.g. \`adduser -D -u ${wanted.uid} ${wanted.name}\`` });
  const owner = facts.probe.workDirOwner;
  if (owner === undefined) findings.push({ check: 'workdir', status: 'warn', message: `${profile.workDir} does not exist; it will be created owned by root` });
  else if (owner === wanted.uid) findings.push({ check: 'workdir', status: 'pass', message: `${profile.workDir} is owned by UID ${wanted.uid}` });
  else findings.push({ check: 'workdir', status: 'fail', message: `${profile.workDir} is owned by UID ${owner}, not ${wanted.uid}: the job cannot write its files` });
  return findings;
}

function entrypointFinding(facts: ImageFacts, profile: LintProfile): LintFinding {
  const describe = (list: string[] | null): string => (list && list.length > 0 ? JSON.stringify(list) : 'none');
  const entrypoint = facts.entrypoint && facts.entrypoint.length > 0 ? facts.entrypoint : null;
  if (!profile.keepsEntrypoint) {
    if (entrypoint) {
      return { check: 'entrypoint', status: 'warn', message: `ENTRYPOINT ${describe(entrypoint)} will be ignored (CMD too): ${profile.name} runs its own command, so setup done there never happens` };
    }
    return { check: 'entrypoint', status: 'pass', message: facts.cmd ? `no ENTRYPOINT; CMD ${describe(facts.cmd)} is ignored (${profile.name} runs its own command)` : 'no ENTRYPOINT or CMD to ignore' };
  }
  return entrypoint
    ? { check: 'entrypoint', status: 'info', message: `ENTRYPOINT ${describe(entrypoint)} is kept: it runs before every script and must exec "$@" (or set entrypoint: [""] in the job)` }
    : { check: 'entrypoint', status: 'pass', message: `no ENTRYPOINT; CMD ${describe(facts.cmd)} is replaced by the job's shell` };
}

function architectureFinding(facts: ImageFacts, host: string): LintFinding {
  if (facts.architecture === host) return { check: 'architecture', status: 'pass', message: `${facts.os}/${facts.architecture} matches this host` };
  return {
    check: 'architecture',
    status: 'warn',
    message: `the image is ${facts.os}/${facts.architecture} but this host is ${host}: it runs only under emulation (slowly) or fails with "exec format error"`,
  };
}

function ageFinding(facts: ImageFacts, now: number): LintFinding {
  const created = Date.parse(facts.created);
  if (Number.isNaN(created) || created <= 0) return { check: 'age', status: 'info', message: 'the image has no build date' };
  const days = Math.floor((now - created) / DAY_MS);
  if (days > 365) return { check: 'age', status: 'warn', message: `built ${days} days ago: it likely misses security updates; rebuild it` };
  return { check: 'age', status: days > 90 ? 'info' : 'pass', message: `built ${days} days ago` };
}

function registryFinding(facts: ImageFacts): LintFinding {
  const base = facts.baseName;
  const registry = base ? (base.includes('/') && /[.:]/.test(base.split('/')[0] ?? '') ? (base.split('/')[0] ?? '') : 'docker.io') : facts.registry;
  if (!base && !facts.fromRegistry) {
    return { check: 'registry', status: 'info', message: 'built or loaded on this machine (no registry digest) and it declares no base (label org.opencontainers.image.base.name)' };
  }
  const what = base ? `its base ${base}` : 'the image';
  if (allowingRegistryRule(PUBLIC_POOL, registry) !== undefined) return { check: 'registry', status: 'pass', message: `${what} comes from ${registry}, a well-known registry` };
  return { check: 'registry', status: 'info', message: `${what} comes from ${registry}, not a well-known public registry (public worker pools refuse it)` };
}

export function lintImage(facts: ImageFacts, profile: LintProfile, host = hostArchitecture(), now = Date.now()): LintReport {
  const findings: LintFinding[] = [shellFinding(facts)];
  const ps = psFinding(facts, profile);
  if (ps) findings.push(ps);
  findings.push(...userFindings(facts, profile), entrypointFinding(facts, profile), architectureFinding(facts, host), ageFinding(facts, now), registryFinding(facts));
  const status = findings.some((finding) => finding.status === 'fail') ? 'fail' : findings.some((finding) => finding.status === 'warn') ? 'warn' : 'pass';
  return { image: facts.reference, profile: profile.name, findings, status };
}

export function formatLintReport(report: LintReport): string {
  const mark: Record<LintStatus, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', info: 'info' };
  const lines = [`${report.image} (profile ${report.profile}): ${report.status}`];
  for (const finding of report.findings) lines.push(`  ${mark[finding.status]}  ${finding.check.padEnd(12)} ${finding.message}`);
  return `${lines.join('\n')}\n`;
}
