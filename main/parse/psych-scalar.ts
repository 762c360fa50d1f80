// How GitLab's YAML reader (Ruby's Psych, YAML 1.1) types a plain scalar, and how Ruby prints the result
// (`to_s`), which is what GitLab does to a number or boolean given where text is expected. A port of
// Psych::ScalarScanner#tokenize: `yes`/`no`/`on`/`off` in any case are booleans (`y`/`n` are not),
// `0755` is octal, `1:20` is sexagesimal (Psych's own arithmetic), `1,000` is 1000, `1e5` stays text.

export type PsychScalar =
  | { kind: 'value'; value: string | number | boolean | null; text?: string }
  /** Psych makes a Date or Time object, which GitLab's safe_load refuses (the whole file is invalid). */
  | { kind: 'refused'; rubyClass: 'Date' | 'Time' };

const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?$/;
const INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/;
/** Ruby's `[[:alpha:]]` and `\s` (ASCII whitespace) in Psych's "this is surely text" test. */
const WORDLIKE = /^[^0-9.:-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%^&*(){}<>|/\\~;=]+/u;

export function tokenizePlain(source: string): PsychScalar {
  const value = (v: string | number | boolean | null): PsychScalar => ({ kind: 'value', value: v });
  if (source === '') return value(null);
  if (WORDLIKE.test(source) || source.includes('\n')) {
    if (source.length > 5 || /^[^ytonf~]/i.test(source)) return value(source);
    if (source === '~' || /^null$/i.test(source)) return value(null);
    if (/^(?:yes|true|on)$/i.test(source)) return value(true);
    if (/^(?:no|false|off)$/i.test(source)) return value(false);
    return value(source);
  }
  if (TIME.test(source)) return { kind: 'refused', rubyClass: 'Time' };
  if (DATE.test(source)) return { kind: 'refused', rubyClass: 'Date' };
  if (/^\+?\.inf$/i.test(source)) return float(Infinity);
  if (/^-\.inf$/i.test(source)) return float(-Infinity);
  if (/^\.nan$/i.test(source)) return float(NaN);
  // A Ruby Symbol; GitLab turns it into text with `to_s`, which drops the colon (and quotes).
  if (/^:./.test(source)) {
    const quoted = /^:(["'])(.*)\1/.exec(source);
    return value(quoted ? quoted[2]!.replace(/^:/, '') : source.slice(1));
  }
  if (SEXAGESIMAL_INT.test(source)) return integer(sexagesimal(source, rubyToI));
  if (SEXAGESIMAL_FLOAT.test(source)) return float(sexagesimal(source, rubyToF));
  if (FLOAT.test(source)) {
    if (/^[-+]?\.$/.test(source)) return value(source);
    return float(Number(source.replace(/[,_]/g, '').replace(/\.([Ee]|$)/, '$1')));
  }
  if (INTEGER.test(source)) return integer(parseRubyInteger(source));
  return value(source);
}

/** Psych weighs the parts as hours, minutes, seconds even when there are only two (`1:20` is 4800). */
function sexagesimal(source: string, part: (text: string) => number): number {
  return source.split(':').reduce((sum, n, e) => sum + part(n) * 60 ** Math.abs(e - 2), 0);
}

function rubyToI(text: string): number {
  return Number.parseInt(text.replace(/_/g, ''), 10) || 0;
}

function rubyToF(text: string): number {
  return Number.parseFloat(text.replace(/_/g, '')) || 0;
}

/** Ruby's `Integer()` after Psych drops `,` and `_`: 0x hex, 0b binary, a leading 0 is octal. */
function parseRubyInteger(source: string): bigint {
  const clean = source.replace(/[,_]/g, '');
  const negative = clean.startsWith('-');
  const digits = clean.replace(/^[-+]/, '');
  const literal = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits;
  const magnitude = BigInt(literal);
  return negative ? -magnitude : magnitude;
}

function integer(n: bigint | number): PsychScalar {
  const big = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  const value = Number(big);
  const text = big.toString();
  return text === String(value) ? { kind: 'value', value } : { kind: 'value', value, text };
}

function float(n: number): PsychScalar {
  return { kind: 'value', value: n, text: rubyFloatText(n) };
}

/** Ruby's `Float#to_s`: `1.0`, `1.1`, `1.0e+16`, `1.0e-05`, `Infinity`, `NaN`. */
export function rubyFloatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const decpt = Number(exponent) + 1;
  if (decpt > 0 && decpt < digits.length) return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  if (decpt > 0 && decpt <= 15) return `${sign}${digits.padEnd(decpt, '0')}.0`;
  if (decpt <= 0 && decpt > -4) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  const e = decpt - 1;
  const exp = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}e${exp}`;
}
