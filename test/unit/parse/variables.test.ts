import { describe, expect, it } from 'vitest';
import { expandText, resolveVariables, type RawVariable } from '../../../main/parse/variables.js';

const raw = (key: string, value: string, extra: Partial<RawVariable> = {}): RawVariable => ({ key, value, source: 'job', masked: false, expand: true, ...extra });

describe('variable expansion', () => {
  it('expands $VAR and ${VAR}, $$ is a literal $, unknown names expand to nothing', () => {
    const lookup = (name: string): string | undefined => ({ A: 'one', B: 'two' })[name];
    expect(expandText('$A-${B}-$$A-$NOPE.', lookup)).toBe('one-two-$A-.');
    expect(expandText('price: 5$', lookup)).toBe('price: 5$');
  });

  it('expands recursively against the final values, later definitions winning', () => {
    const vars = resolveVariables([
      raw('HOST', 'db', { source: 'global' }),
      raw('URL', 'postgres://$USER@$HOST/app', { source: 'global' }),
      raw('USER', 'app'),
      raw('HOST', 'db.internal', { source: 'cli' }),
    ]);
    expect(vars.find((v) => v.key === 'URL')?.value).toBe('postgres://app@db.internal/app');
    expect(vars.filter((v) => v.key === 'HOST')).toEqual([{ key: 'HOST', value: 'db.internal', masked: false, source: 'cli' }]);
  });

  it('keeps expand: false values literal and survives self-references and cycles', () => {
    const vars = resolveVariables([raw('LIT', '$HOME/x', { expand: false }), raw('A', '$B'), raw('B', '$A'), raw('P', '$P:/bin')]);
    expect(vars.find((v) => v.key === 'LIT')?.value).toBe('$HOME/x');
    expect(vars.find((v) => v.key === 'P')?.value).toBe(':/bin');
    expect(vars.map((v) => v.key)).toEqual(['LIT', 'A', 'B', 'P']);
  });

  it('masks values built from a masked variable', () => {
    const vars = resolveVariables([raw('URL', 'https://u:$TOKEN@host'), raw('TOKEN', 's3cr3t', { source: 'secret', masked: true })]);
    expect(vars.find((v) => v.key === 'URL')).toMatchObject({ value: 'https://u:s3cr3t@host', masked: true });
  });

  it('orders by source: predefined, runner, global, job, rules, cli, secret', () => {
    const vars = resolveVariables([
      raw('S', '1', { source: 'secret', masked: true }),
      raw('J', '1'),
      raw('CI', 'true', { source: 'predefined' }),
      raw('G', '1', { source: 'global' }),
    ]);
    expect(vars.map((v) => v.key)).toEqual(['CI', 'G', 'J', 'S']);
  });
});
