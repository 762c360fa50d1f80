// Jobs written for a runner that is not a Linux Docker executor: Windows, macOS, other systems or a shell
// runner. GitLab accepts them (a matching runner picks them up); jobsim lists them with the reason and
// skips them in a run. Told apart by their tags (GitLab's SaaS names such as `saas-macos-medium-m1` and
// `saas-windows-medium-amd64`, or project names such as `windows-1809`, `win32-ps`, `macos-xcode26`) and
// by images that only run on those systems (`mcr.microsoft.com/windows/servercore`, `macos-14-xcode-15`).

import type { JobBlock } from '../../shared/plan.js';
import type { Located } from './located.js';
import { expandText } from './variables.js';

export type RunnerBlock = Extract<JobBlock, { kind: 'needs-runner' }>;

/** The words of a tag that name a system, in the order they are looked for. */
const TAG_SYSTEMS: readonly { runner: string; word: RegExp }[] = [
  { runner: 'Windows', word: /^win(dows)?(\d+|ps|server\d*)?$/ },
  { runner: 'macOS', word: /^(macos\d*|osx|mac|xcode\d*)$/ },
  { runner: 'FreeBSD', word: /^freebsd\d*$/ },
  { runner: 'OpenBSD', word: /^openbsd\d*$/ },
  { runner: 'NetBSD', word: /^netbsd\d*$/ },
  { runner: 'GNU Hurd', word: /^hurd$/ },
  { runner: 'shell', word: /^shell$/ },
];

/** The system a tag names, if any: `shared-windows` → Windows, `saas-macos-medium-m1` → macOS. */
export function runnerOfTag(tag: string): string | undefined {
  const words = tag.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return TAG_SYSTEMS.find((s) => words.some((w) => s.word.test(w)))?.runner;
}

/** The system an image reference only runs on, if it says so. */
export function runnerOfImage(image: string): string | undefined {
  const name = image.trim().toLowerCase();
  const path = name.split('@')[0]!;
  if (/^mcr\.microsoft\.com\/(windows([/:]|$)|dotnet\/framework\/)/.test(path) || /servercore|nanoserver/.test(path)) return 'Windows';
  // GitLab's SaaS macOS runners name a VM image (`macos-14-xcode-15`), as do Tart images (`…/macos-sonoma-xcode`).
  const lastSegment = path.split('/').pop()!.split(':')[0]!;
  if (/^macos(-|$)/.test(lastSegment)) return 'macOS';
  return undefined;
}

/** The tags as the runner matches them: variables expanded, nested lists (from anchors) flattened. */
export function writtenTags(node: Located | undefined, lookup: (name: string) => string | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'seq') return node.items.flatMap((item) => writtenTags(item, lookup));
  if (node.kind === 'scalar' && (typeof node.value === 'string' || typeof node.value === 'number')) {
    const tag = expandText(String(node.value), lookup).trim();
    return tag ? [tag] : [];
  }
  return [];
}

/** The image name as written (a string or `name:`), expanded; undefined when there is none to read. */
function writtenImage(node: Located | undefined, lookup: (name: string) => string | undefined): string | undefined {
  const nameNode = node?.kind === 'map' ? node.entries.find((e) => e.key === 'name')?.value : node;
  if (nameNode?.kind !== 'scalar' || typeof nameNode.value !== 'string') return undefined;
  return expandText(nameNode.value, lookup);
}

/** Why this job needs a runner jobsim does not have, from its `tags` and `image` nodes; undefined for a Docker job. */
export function nonDockerRunner(tagsNode: Located | undefined, imageNode: Located | undefined, lookup: (name: string) => string | undefined): RunnerBlock | undefined {
  const tags = writtenTags(tagsNode, lookup);
  const byTag = tags.map(runnerOfTag).find((r) => r !== undefined);
  const image = writtenImage(imageNode, lookup);
  const runner = byTag ?? (image !== undefined ? runnerOfImage(image) : undefined);
  if (!runner) return undefined;
  const why = byTag ? `tags: ${tags.join(', ')}` : `image ${image!.trim()}`;
  const article = /^[aeiou]/i.test(runner) ? 'an' : 'a';
  return {
    kind: 'needs-runner',
    runner,
    tags,
    message: `needs ${article} ${runner} runner (${why})`,
  };
}
