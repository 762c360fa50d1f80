// A CI file may hold two YAML documents: a `spec:` header, then `---` and the configuration (GitLab reads
// at most two). The header is split off here and both halves are parsed with the ordinary reader; the
// other half is blanked (same length, same newlines) so that every position stays the file's own.

import { Parser } from 'yaml';
import { InputError } from '../errors.js';
import type { Located, LocatedMap } from './located.js';
import { get } from './located.js';
import { parseYamlText, type WarningSink } from './yaml-source.js';

export interface CiDocuments {
  /** The first document, when there are two and it has `spec:`. */
  header?: LocatedMap;
  body: Located;
}

const MAX_DOCUMENTS = 2;

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

export function parseCiText(file: string, text: string, warnings?: WarningSink): CiDocuments {
  let starts: number[];
  try {
    starts = [...new Parser().parse(text)].filter((token) => token.type === 'document').map((token) => token.offset);
  } catch {
    starts = [];
  }
  if (starts.length < 2) return { body: parseYamlText(file, text, warnings) };
  if (starts.length > MAX_DOCUMENTS) {
    const line = text.slice(0, starts[MAX_DOCUMENTS]).split('\n').length;
    throw new InputError(`the file holds ${starts.length} YAML documents; GitLab reads at most ${MAX_DOCUMENTS} (a spec: header, then --- and the configuration)`, { file, line, col: 1 });
  }
  const split = starts[1]!;
  const first = parseYamlText(file, text.slice(0, split) + blank(text.slice(split)), warnings);
  if (first.kind !== 'map' || !get(first, 'spec')) return { body: first };
  return { header: first, body: parseYamlText(file, blank(text.slice(0, split)) + text.slice(split), warnings) };
}
