import { describe, expect, it } from 'vitest';
import { aliasProblem, deriveServiceAliases, splitCustomAliases } from '../../../shared/service-aliases.js';

describe('service host aliases', () => {
  it.each([
    ['registry.example.com:4999/tutum/wordpress:latest', ['registry.example.com__tutum__wordpress', 'registry.example.com-tutum-wordpress']],
    ['postgres:16', ['postgres']],
    ['mysql', ['mysql']],
    ['bitnami/redis:7.2', ['bitnami__redis', 'bitnami-redis']],
    ['127.0.0.1:5000/jobsim/http:1', ['127.0.0.1__jobsim__http', '127.0.0.1-jobsim-http']],
    [`alpine@sha256:${'c'.repeat(64)}`, ['alpine']],
    [`tutum/wordpress:4@sha256:${'c'.repeat(64)}`, ['tutum__wordpress', 'tutum-wordpress']],
    ['localhost:5000/app', ['localhost__app', 'localhost-app']],
    ['registry.example.com/group/sub/app:1.0', ['registry.example.com__group__sub__app', 'registry.example.com-group-sub-app']],
    ['  redis:7  ', ['redis']],
  ])('%s → %j', (image, aliases) => {
    expect(deriveServiceAliases(image)).toEqual(aliases);
  });

  it('splits custom aliases on commas and spaces', () => {
    expect(splitCustomAliases('db, postgres  main,db')).toEqual(['db', 'postgres', 'main']);
    expect(splitCustomAliases(' , ')).toEqual([]);
  });

  it('checks custom aliases are host names', () => {
    expect(aliasProblem('db-1.local')).toBeUndefined();
    expect(aliasProblem('no way')).toContain('not a valid host name');
    expect(aliasProblem('my_db')).toBeUndefined();
    expect(aliasProblem('-db')).toContain('not a valid host name');
    expect(aliasProblem('a'.repeat(63))).toBeUndefined();
    expect(aliasProblem('a'.repeat(64))).toContain('at most 63 per part');
    expect(aliasProblem('db..local')).toContain('not a valid host name');
  });
});
