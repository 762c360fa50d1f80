// One table of config.toml ([[runners]], [runners.docker] or the bare top level), read key by key with
// the key's position, so every problem is reported as `file:line:col` and all of them at once.

import type { SourceLocation } from '../../shared/plan.js';
import { suggest } from './did-you-mean.js';
import type { Problems } from './problems.js';
import type { TomlLocator } from './toml-locator.js';

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export class Section {
  constructor(
    private readonly table: Table,
    /** The table header as written, e.g. `runners.docker`; '' for the top level. */
    readonly name: string,
    private readonly locate: TomlLocator,
    readonly problems: Problems,
  ) {}

  where(key: string): SourceLocation {
    return this.locate.keyLocation(key, this.name);
  }

  /**
   * Where element `index` of an array value was written: its own `[[name.key]]` header when written as
   * an array of tables (the first runner's come first), else the `key =` line.
   */
  whereElement(key: string, index: number): SourceLocation {
    const headers = this.locate.findTables(this.name ? `${this.name}.${key}` : key);
    return headers[index] ?? this.where(key);
  }

  private wrongType(key: string, expected: string): undefined {
    this.problems.error(`${key} must be ${expected}`, this.where(key));
    return undefined;
  }

  string(key: string): string | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : this.wrongType(key, 'a string');
  }

  boolean(key: string): boolean | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'boolean' ? value : this.wrongType(key, 'true or false');
  }

  integer(key: string): number | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'number' && Number.isInteger(value) ? value : this.wrongType(key, 'a whole number');
  }

  strings(key: string): string[] | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : this.wrongType(key, 'a list of strings');
  }

  stringTable(key: string): Record<string, string> | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (!isTable(value) || !Object.values(value).every((v) => typeof v === 'string')) return this.wrongType(key, 'a table of strings, e.g. { "/tmp" = "rw,size=64m" }');
    return value as Record<string, string>;
  }

  raw(key: string): unknown {
    return this.table[key];
  }

  /** Unknown keys are errors (with a did-you-mean); known runner keys jobsim does not reproduce are warnings. */
  checkKeys(implemented: readonly string[], warned: readonly string[], ignored: readonly string[] = []): void {
    for (const key of Object.keys(this.table)) {
      if (implemented.includes(key) || ignored.includes(key)) continue;
      if (warned.includes(key)) {
        this.problems.warn(`${this.name ? `[${this.name}] ` : ''}${key} is a GitLab Runner setting jobsim does not reproduce; it is ignored`, this.where(key));
        continue;
      }
      const guess = suggest(key, [...implemented, ...warned, ...ignored]);
      const inTable = this.name ? ` in [${this.name}]` : '';
      this.problems.error(`unknown runner setting "${key}"${inTable}${guess ? `; did you mean "${guess}"?` : ''}`, this.where(key));
    }
  }
}
