// smol-toml gives values without positions; this finds where a key was written, for messages like
// `config.toml:12:3: unsupported pull_policy config: "sometimes"`.

import type { SourceLocation } from '../../shared/plan.js';

export class TomlLocator {
  private readonly lines: string[];

  constructor(text: string, private readonly file: string) {
    this.lines = text.split(/\r?\n/);
  }

  /** The line of `key =` inside the table whose header matches `table` (e.g. `runners.docker`), else the first `key =`. */
  keyLocation(key: string, table?: string): SourceLocation {
    // `key =`, `"key" =`, `'key' =`, or a dotted key ending in it (`docker.image =` under [[runners]]).
    const name = `(?:"${escape(key)}"|'${escape(key)}'|${escape(key)})`;
    const keyPattern = new RegExp(`^(\\s*)(?:[\\w"'.-]+\\s*\\.\\s*)?${name}\\s*=`);
    let inTable = table === undefined || table === '';
    let fallback: SourceLocation | undefined;
    for (const [index, line] of this.lines.entries()) {
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
      if (header) {
        inTable = table === undefined || header[1] === table;
        continue;
      }
      const match = keyPattern.exec(line);
      if (!match) continue;
      const where = { file: this.file, line: index + 1, col: (match[1]?.length ?? 0) + 1 };
      if (inTable) return where;
      fallback ??= where;
    }
    return fallback ?? { file: this.file, line: 1, col: 1 };
  }

  /** The line of a table header such as `[runners.docker]`, or line 1 when there is none. */
  tableLocation(table: string): SourceLocation {
    return this.findTable(table) ?? { file: this.file, line: 1, col: 1 };
  }

  /** The first `[table]` or `[[table]]` header with this name, if the file has one. */
  findTable(table: string): SourceLocation | undefined {
    return this.findTables(table)[0];
  }

  /** Every `[[table]]` header with this name, in file order: one per element of an array of tables. */
  findTables(table: string): SourceLocation[] {
    const found: SourceLocation[] = [];
    for (const [index, line] of this.lines.entries()) {
      const header = /^(\s*)\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
      if (header && header[2] === table) found.push({ file: this.file, line: index + 1, col: (header[1]?.length ?? 0) + 1 });
    }
    return found;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
