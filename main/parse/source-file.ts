// Reading a CI file from disk into a located tree: size limit first, then YAML or JSON.

import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import type { Located } from './located.js';
import { parseCiText, type CiDocuments } from './spec-header.js';
import { checkSize, parseYamlText, type WarningSink } from './yaml-source.js';

/** The file's text, after the size check. `displayName` is what messages show (relative to the project when possible). */
async function readChecked(path: string, displayName: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new InputError(`cannot read ${displayName}: no such file`);
  }
  checkSize(displayName, size);
  return readFile(path, 'utf8');
}

export async function readSourceFile(path: string, displayName: string, warnings?: WarningSink): Promise<Located> {
  const text = await readChecked(path, displayName);
  return path.endsWith('.json') ? parseJsonText(displayName, text, warnings) : parseYamlText(displayName, text, warnings);
}

/** The main CI file: JSON, or YAML with an optional `spec:` header document (see spec-header.ts). */
export async function readCiDocuments(path: string, displayName: string, warnings?: WarningSink): Promise<CiDocuments> {
  if (path.endsWith('.json')) return { body: await readSourceFile(path, displayName, warnings) };
  return parseCiText(displayName, await readChecked(path, displayName), warnings);
}

/** JSON through JSON.parse (exact syntax errors), then the YAML reader for positions. */
export function parseJsonText(file: string, text: string, warnings?: WarningSink): Located {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(message)?.[1];
    const where = offset === undefined ? yamlErrorPosition(file, text) : positionOf(text, Number(offset), file);
    throw new InputError(`JSON syntax error: ${shortJsonMessage(message).replace(/\n/g, '\\n')}`, where);
  }
  return parseYamlText(file, text, warnings);
}

/** Node's messages end with the offset or a quoted excerpt of the file; keep only the reason. */
function shortJsonMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/, \.\.\.?".*$/s, '').replace(/, ".*" is not valid JSON$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
}

/** Some JSON.parse messages carry no offset; the YAML parser finds the same spot. */
function yamlErrorPosition(file: string, text: string): { file: string; line: number; col: number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const offset = doc.errors[0]?.pos[0];
  if (offset === undefined) return { file, line: 1, col: 1 };
  const pos = lines.linePos(offset);
  return { file, line: pos.line, col: pos.col };
}

function positionOf(text: string, offset: number, file: string): { file: string; line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return { file, line, col };
}
