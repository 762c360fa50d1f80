// `spec:inputs` in a file's header and the values an `include: … inputs:` passes: checked as GitLab's
// Interpolation::Inputs does, with its words (lib/gitlab/ci/config/interpolation/inputs/*.rb).

import type { SourceLocation } from '../../shared/plan.js';
import type { Located, LocatedMap } from './located.js';
import { get, toPlain } from './located.js';
import type { Problems } from './problems.js';

export type InputValue = unknown;

export interface InputSpec {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'array';
  hasDefault: boolean;
  default?: InputValue;
  options?: InputValue[];
  regex?: string;
  where: SourceLocation;
}

const INPUT_KEYS = ['default', 'description', 'options', 'regex', 'type'];
const SPEC_KEYS = ['inputs', 'include', 'component'];
const TYPES = ['array', 'boolean', 'number', 'string'] as const;
const MAX_OPTIONS = 50;

/** The header's inputs; GitLab's own validation messages for a malformed header. */
export function readInputSpecs(header: LocatedMap, problems: Problems): InputSpec[] {
  for (const e of header.entries) if (e.key !== 'spec') problems.error(`header config contains unknown keys: ${e.key}`, e.keyWhere);
  const spec = get(header, 'spec');
  if (!spec || (spec.kind === 'scalar' && spec.value === null)) return [];
  if (spec.kind !== 'map') {
    problems.error('header:spec config should be a hash', spec.where);
    return [];
  }
  for (const e of spec.entries) if (!SPEC_KEYS.includes(e.key)) problems.error(`header:spec config contains unknown keys: ${e.key}`, e.keyWhere);
  const inputs = get(spec, 'inputs');
  if (!inputs || (inputs.kind === 'scalar' && inputs.value === null)) return [];
  if (inputs.kind !== 'map') {
    problems.error('header:spec:inputs config should be a hash', inputs.where);
    return [];
  }
  const out: InputSpec[] = [];
  for (const { key, keyWhere, value } of inputs.entries) {
    const what = `header:spec:inputs:${key}`;
    if (!/^[A-Za-z0-9_-]+$/.test(key)) problems.error(`${what} key must be an alphanumeric string`, keyWhere);
    if (value.kind === 'scalar' && value.value === null) {
      out.push({ name: key, type: 'string', hasDefault: false, where: keyWhere });
      continue;
    }
    if (value.kind !== 'map') {
      problems.error(`${what} config should be a hash`, value.where);
      continue;
    }
    for (const e of value.entries) if (!INPUT_KEYS.includes(e.key)) problems.error(`${what} config contains unknown keys: ${e.key}`, e.keyWhere);
    const typeNode = get(value, 'type');
    const type = typeNode ? typeNode.kind === 'scalar' ? String(typeNode.value) : '' : 'string';
    if (!(TYPES as readonly string[]).includes(type)) {
      problems.error(`unknown input specification for \`${key}\` (valid types: ${TYPES.join(', ')})`, typeNode?.where ?? keyWhere);
      continue;
    }
    const input: InputSpec = { name: key, type: type as InputSpec['type'], hasDefault: false, where: keyWhere };
    const defaultNode = value.entries.find((e) => e.key === 'default');
    if (defaultNode) Object.assign(input, { hasDefault: true, default: toPlain(defaultNode.value) });
    const optionsNode = get(value, 'options');
    if (optionsNode) {
      if (optionsNode.kind !== 'seq') problems.error(`${what} input options should be an array`, optionsNode.where);
      else if (optionsNode.items.length > MAX_OPTIONS) problems.error(`${what} config cannot define more than ${MAX_OPTIONS} options`, optionsNode.where);
      else input.options = optionsNode.items.map(toPlain);
    }
    const regexNode = get(value, 'regex');
    if (regexNode) {
      if (regexNode.kind !== 'scalar' || typeof regexNode.value !== 'string') problems.error(`${what} input regex should be a string`, regexNode.where);
      else input.regex = regexNode.value;
    }
    out.push(input);
  }
  return out;
}

function typeMatches(type: InputSpec['type'], value: InputValue): boolean {
  if (type === 'string') return typeof value === 'string';
  if (type === 'number') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  return Array.isArray(value);
}

function shown(value: InputValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** GitLab's run_validations: type, then options, then regex, for the default and for the given value. */
function validationErrors(spec: InputSpec, value: InputValue, isDefault: boolean): string[] {
  const errors: string[] = [];
  const which = isDefault ? 'default' : 'provided';
  if (!typeMatches(spec.type, value)) errors.push(`${which} value is not ${spec.type === 'array' ? 'an' : 'a'} ${spec.type}`);
  if (spec.options) {
    if (spec.type !== 'string' && spec.type !== 'number') errors.push('Options can only be used with string and number inputs');
    else if (value !== null && value !== undefined && !spec.options.some((o) => o === value)) {
      errors.push(`\`${shown(value)}\` cannot be used because it is not in the list of ${spec.type === 'number' ? 'the ' : ''}allowed options`);
    }
  }
  if (spec.regex !== undefined) {
    if (spec.type !== 'string') errors.push('RegEx validation can only be used with string inputs');
    else if (typeof value === 'string') {
      try {
        if (!new RegExp(spec.regex).test(value)) errors.push(`${which} value does not match required RegEx pattern`);
      } catch {
        errors.push('invalid regular expression');
      }
    }
  }
  return errors;
}

/**
 * The values the file is interpolated with. `args`: what the include passes (undefined: nothing passed).
 * Errors are GitLab's messages, without position: the caller places them.
 */
export function resolveInputs(specs: InputSpec[], args: LocatedMap | undefined): { values: Map<string, InputValue>; errors: string[] } {
  const errors: string[] = [];
  const given = new Map((args?.entries ?? []).map((e) => [e.key, toPlain(e.value as Located)]));
  const unknown = [...given.keys()].filter((k) => !specs.some((s) => s.name === k));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(', ')}`);
  const values = new Map<string, InputValue>();
  for (const spec of specs) {
    const value = given.get(spec.name);
    const missing = value === undefined || value === null;
    const own: string[] = [];
    if (!spec.hasDefault && missing) own.push('required value has not been provided');
    else {
      if (spec.hasDefault) own.push(...validationErrors(spec, spec.default, true));
      if (!missing) own.push(...validationErrors(spec, value, false));
    }
    errors.push(...own.map((m) => `\`${spec.name}\` input: ${m}`));
    values.set(spec.name, missing ? spec.default : value);
  }
  return { values, errors };
}
