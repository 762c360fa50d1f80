// `npm test` must leave the work tree as it found it. `save` records the state of every changed or
// untracked file before the run (so a developer's own edits are not blamed on the tests); `verify`
// fails, naming the files, when the run changed a tracked file or left a new file git would show.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const snapshotFile = path.join(root, 'test', '.artifacts', 'tree-before.json');

function insideGit() {
  try {
    execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every path `git status --porcelain` lists, with a hash of its content (or "deleted"). */
function treeState() {
  const out = execFileSync('git', ['status', '--porcelain', '-z', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  const state = {};
  const entries = out.split('\0').filter(Boolean);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code.startsWith('R') || code.startsWith('C')) i++; // the rename's source path follows
    const full = path.join(root, file);
    state[file] = existsSync(full) ? createHash('sha256').update(readFileSync(full)).digest('hex') : 'deleted';
  }
  return state;
}

const mode = process.argv[2];
if (!insideGit()) process.exit(0); // a tarball, not a clone: nothing to compare
if (mode === 'save') {
  mkdirSync(path.dirname(snapshotFile), { recursive: true });
  writeFileSync(snapshotFile, JSON.stringify(treeState()));
} else if (mode === 'verify') {
  const before = existsSync(snapshotFile) ? JSON.parse(readFileSync(snapshotFile, 'utf8')) : {};
  const after = treeState();
  const changed = Object.keys(after).filter((file) => before[file] !== after[file]);
  if (changed.length > 0) {
    console.error(`tree-check: the test run changed files git tracks or shows (tests must write to git-ignored folders such as test/.artifacts/):`);
    for (const file of changed) console.error(`  ${file}`);
    process.exit(1);
  }
  console.log('tree-check: the work tree is as the test run found it');
} else {
  console.error('usage: node scripts/tree-check.mjs save|verify');
  process.exit(2);
}
