// `.jobsim/secrets.env`: dotenv lines `KEY=value` (optional `export `, quotes, `#` comments).

import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

export function parseDotenv(file: string, text: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) {
      // Never echo the line: it may hold a secret.
      throw new InputError('expected KEY=value (letters, digits and _ in KEY)', { file, line: index + 1, col: raw.length - raw.trimStart().length + 1 });
    }
    values[m[1]!] = unquote(m[2]!);
  });
  return values;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/s.exec(value);
  if (!quoted) return value.replace(/\s+#.*$/, '');
  return quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2]!;
}

/** Reads the file when it exists; an absent default file is not an error. */
export async function readSecretsFile(path: string, displayName: string, required: boolean): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (required) throw new InputError(`cannot read secrets file ${displayName}`);
    return {};
  }
  return parseDotenv(displayName, text);
}
