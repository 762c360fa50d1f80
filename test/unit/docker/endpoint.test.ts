import { describe, expect, it } from 'vitest';
import {
  contextDirName,
  EndpointError,
  endpointTrail,
  parseHost,
  resolveEndpoint,
  type EndpointInputs,
} from '../../../main/docker/endpoint.js';

const HOME = '/home/dev';

/** Inputs with an in-memory file system. */
function inputs(env: Record<string, string>, files: Record<string, string> = {}): EndpointInputs {
  return { env, homeDir: HOME, readText: (path) => files[path] };
}

function contextFiles(configDir: string, name: string, host: string, extra: Record<string, unknown> = {}): Record<string, string> {
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false, ...extra } } };
  return { [`${configDir}/contexts/meta/${contextDirName(name)}/meta.json`]: JSON.stringify(meta) };
}

function endpointErrorOf(run: () => unknown): EndpointError {
  try {
    run();
  } catch (error) {
    if (error instanceof EndpointError) return error;
    throw error;
  }
  throw new Error('expected an EndpointError');
}

describe('choosing the Docker engine like the docker CLI', () => {
  it('uses the default socket when nothing is configured', () => {
    const endpoint = resolveEndpoint(inputs({}));
    expect(endpoint).toMatchObject({ source: 'default', address: 'unix:///var/run/docker.sock' });
    expect(endpoint.transport).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  it('uses DOCKER_HOST with a unix socket', () => {
    const endpoint = resolveEndpoint(inputs({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }));
    expect(endpoint).toMatchObject({ source: 'DOCKER_HOST', address: 'unix:///run/user/1000/docker.sock' });
    expect(endpoint.transport).toEqual({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
  });

  it('uses plain tcp on port 2375 by default, and TLS with DOCKER_TLS_VERIFY on 2376', () => {
    expect(resolveEndpoint(inputs({ DOCKER_HOST: 'tcp://build-box' })).transport).toEqual({ kind: 'tcp', host: 'build-box', port: 2375 });
    const secure = resolveEndpoint(inputs({ DOCKER_HOST: 'tcp://build-box', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }));
    expect(secure.address).toBe('tcp://build-box:2376');
    expect(secure.transport).toEqual({
      kind: 'tcp',
      host: 'build-box',
      port: 2376,
      tls: { verify: true, caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem' },
    });
  });

  it('takes TLS certificates from ~/.docker when DOCKER_CERT_PATH is not set, and DOCKER_TLS without verification', () => {
    const endpoint = resolveEndpoint(inputs({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS: '1' }));
    expect(endpoint.transport).toMatchObject({ tls: { verify: false, caFile: `${HOME}/.docker/ca.pem` } });
  });

  it('uses Docker Desktop\'s named pipe by default on Windows, and npipe:// in DOCKER_HOST', () => {
    const endpoint = resolveEndpoint({ ...inputs({}), platform: 'win32' });
    expect(endpoint).toMatchObject({ source: 'default', address: 'npipe:////./pipe/docker_engine' });
    expect(endpoint.transport).toEqual({ kind: 'unix', socketPath: '//./pipe/docker_engine' });
    expect(resolveEndpoint(inputs({ DOCKER_HOST: 'npipe:////./pipe/docker_other' })).transport).toEqual({ kind: 'unix', socketPath: '//./pipe/docker_other' });
  });

  it('treats a bare host:port as tcp, as the docker CLI does', () => {
    expect(resolveEndpoint(inputs({ DOCKER_HOST: 'localhost:2375' })).transport).toEqual({ kind: 'tcp', host: 'localhost', port: 2375 });
  });

  it('reads the current context from config.json and its endpoint from the context store', () => {
    const configDir = `${HOME}/.docker`;
    const files = {
      [`${configDir}/config.json`]: JSON.stringify({ auths: {}, currentContext: 'colima' }),
      ...contextFiles(configDir, 'colima', 'unix:///home/dev/.colima/default/docker.sock'),
    };
    const endpoint = resolveEndpoint(inputs({}, files));
    expect(endpoint).toMatchObject({ source: 'context', context: 'colima', address: 'unix:///home/dev/.colima/default/docker.sock' });
  });

  it('lets DOCKER_CONTEXT override config.json, and honours DOCKER_CONFIG', () => {
    const files = {
      '/cfg/config.json': JSON.stringify({ currentContext: 'colima' }),
      ...contextFiles('/cfg', 'colima', 'unix:///colima.sock'),
      ...contextFiles('/cfg', 'remote', 'tcp://10.1.2.3:2375'),
    };
    const endpoint = resolveEndpoint(inputs({ DOCKER_CONFIG: '/cfg', DOCKER_CONTEXT: 'remote' }, files));
    expect(endpoint).toMatchObject({ source: 'context', context: 'remote', address: 'tcp://10.1.2.3:2375' });
  });

  it('lets DOCKER_HOST win over any context', () => {
    const files = { '/cfg/config.json': JSON.stringify({ currentContext: 'colima' }), ...contextFiles('/cfg', 'colima', 'unix:///colima.sock') };
    const endpoint = resolveEndpoint(inputs({ DOCKER_CONFIG: '/cfg', DOCKER_CONTEXT: 'colima', DOCKER_HOST: 'unix:///other.sock' }, files));
    expect(endpoint).toMatchObject({ source: 'DOCKER_HOST', address: 'unix:///other.sock' });
  });

  it('treats the context named "default" as no context', () => {
    const files = { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'default' }) };
    expect(resolveEndpoint(inputs({}, files)).source).toBe('default');
    expect(resolveEndpoint(inputs({ DOCKER_CONTEXT: 'default' })).source).toBe('default');
  });

  it('uses a context\'s TLS material and its SkipTLSVerify', () => {
    const hash = contextDirName('secure');
    const files = {
      ...contextFiles('/cfg', 'secure', 'tcp://docker.example:2376', { SkipTLSVerify: true }),
      [`/cfg/contexts/tls/${hash}/docker/ca.pem`]: 'CA',
    };
    const endpoint = resolveEndpoint(inputs({ DOCKER_CONFIG: '/cfg', DOCKER_CONTEXT: 'secure' }, files));
    expect(endpoint.transport).toEqual({
      kind: 'tcp',
      host: 'docker.example',
      port: 2376,
      tls: {
        verify: false,
        caFile: `/cfg/contexts/tls/${hash}/docker/ca.pem`,
        certFile: `/cfg/contexts/tls/${hash}/docker/cert.pem`,
        keyFile: `/cfg/contexts/tls/${hash}/docker/key.pem`,
      },
    });
  });

  it('names the context directory by the sha256 of the context name, like docker', () => {
    // `printf default | sha256sum`
    expect(contextDirName('default')).toBe('37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });
});

describe('ssh:// engines', () => {
  it('reads user, host and port, 22 by default', () => {
    expect(parseHost('ssh://me@box', { source: 'DOCKER_HOST' })).toMatchObject({ address: 'ssh://me@box', transport: { kind: 'ssh', host: 'box', port: 22, user: 'me' } });
    expect(parseHost('ssh://build@10.0.0.5:2222', { source: 'DOCKER_HOST' })).toMatchObject({
      address: 'ssh://build@10.0.0.5:2222',
      transport: { kind: 'ssh', host: '10.0.0.5', port: 2222, user: 'build' },
    });
  });

  it('takes the user from the SSH session when the address names none, and IPv6 hosts in brackets', () => {
    const endpoint = parseHost('ssh://[::1]:2200', { source: 'DOCKER_HOST' });
    expect(endpoint.transport).toEqual({ kind: 'ssh', host: '::1', port: 2200 });
    expect(endpoint.address).toBe('ssh://[::1]:2200');
  });

  it('comes from a Docker context too', () => {
    const meta = JSON.stringify({ Name: 'big', Endpoints: { docker: { Host: 'ssh://build@big-box' } } });
    const endpoint = resolveEndpoint(inputs({ DOCKER_CONTEXT: 'big' }, { [`${HOME}/.docker/contexts/meta/${contextDirName('big')}/meta.json`]: meta }));
    expect(endpoint).toMatchObject({ source: 'context', context: 'big', transport: { kind: 'ssh', host: 'big-box', user: 'build' } });
  });
});

describe('endpoints jobsim cannot use', () => {
  it('says when the current context does not exist, and where it came from', () => {
    const error = endpointErrorOf(() => resolveEndpoint(inputs({ DOCKER_CONTEXT: 'gone' })));
    expect(error.message).toBe('Docker context "gone" (from DOCKER_CONTEXT) does not exist');
    expect(error.advice).toContain('docker context ls');
    expect(error.endpoint).toEqual({ source: 'context', address: '', context: 'gone' });
  });

  it('points at a broken config.json', () => {
    const error = endpointErrorOf(() => resolveEndpoint(inputs({}, { [`${HOME}/.docker/config.json`]: '{ nope' })));
    expect(error.message).toBe(`${HOME}/.docker/config.json is not valid JSON`);
  });

  it('refuses an ssh:// address with a path after the host, as the docker CLI does', () => {
    const error = endpointErrorOf(() => parseHost('ssh://me@box/var/run/docker.sock', { source: 'DOCKER_HOST' }));
    expect(error.message).toBe('DOCKER_HOST has an invalid address "ssh://me@box/var/run/docker.sock": a path after the host is not allowed');
    expect(error.advice).toContain('ssh://user@host:2222');
  });

  it('refuses a scheme it does not know, listing the ones it does', () => {
    const error = endpointErrorOf(() => parseHost('fd://3', { source: 'DOCKER_HOST' }));
    expect(error.message).toBe('DOCKER_HOST uses "fd://", which jobsim does not support');
    expect(error.advice).toContain('ssh://user@host');
  });

  it('rejects a tcp address with no host', () => {
    const error = endpointErrorOf(() => parseHost('tcp://:2375', { source: 'DOCKER_HOST' }));
    expect(error.message).toBe('DOCKER_HOST has an invalid address "tcp://:2375"');
  });
});

describe('what the doctor says it looked at', () => {
  it('lists DOCKER_HOST, DOCKER_CONTEXT and the config file in order', () => {
    const trail = endpointTrail(inputs({ DOCKER_HOST: 'unix:///x.sock' }, { [`${HOME}/.docker/config.json`]: '{"currentContext":"colima"}' }));
    expect(trail).toEqual([
      'DOCKER_HOST: unix:///x.sock',
      'DOCKER_CONTEXT: not set',
      `currentContext in ${HOME}/.docker/config.json: "colima"`,
      'DOCKER_HOST wins over any Docker context, as in the docker CLI',
    ]);
  });
});

describe('--engine and --context on the command line', () => {
  const withChoice = (choice: EndpointInputs['choice'], env: Record<string, string> = {}, files: Record<string, string> = {}): EndpointInputs => ({ ...inputs(env, files), choice });

  it('--engine wins over DOCKER_HOST and the current context', () => {
    const endpoint = resolveEndpoint(withChoice({ engine: 'ssh://build@big-box' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375', DOCKER_CONTEXT: 'other' }));
    expect(endpoint).toMatchObject({ source: 'option', address: 'ssh://build@big-box', transport: { kind: 'ssh', host: 'big-box' } });
  });

  it('--context names a context even when DOCKER_HOST is set, and `default` is the default socket', () => {
    const files = contextFiles(`${HOME}/.docker`, 'remote', 'tcp://10.0.0.9:2375');
    expect(resolveEndpoint(withChoice({ context: 'remote' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375' }, files))).toMatchObject({ source: 'context', context: 'remote', address: 'tcp://10.0.0.9:2375' });
    expect(resolveEndpoint(withChoice({ context: 'default' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375' }))).toMatchObject({ source: 'default', address: 'unix:///var/run/docker.sock' });
  });

  it('says where an unknown context came from', () => {
    const error = endpointErrorOf(() => resolveEndpoint(withChoice({ context: 'gone' })));
    expect(error.message).toBe('Docker context "gone" (from --context) does not exist');
  });

  it('refuses both at once, and names the option in address errors', () => {
    expect(endpointErrorOf(() => resolveEndpoint(withChoice({ engine: 'unix:///a.sock', context: 'x' }))).message).toBe('both --engine and --context were given');
    expect(endpointErrorOf(() => resolveEndpoint(withChoice({ engine: 'fd://3' }))).message).toBe('--engine uses "fd://", which jobsim does not support');
  });

  it('shows the option first in what the doctor looked at', () => {
    const trail = endpointTrail(withChoice({ engine: 'unix:///a.sock' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375' }));
    expect(trail[0]).toBe('--engine: unix:///a.sock');
    expect(trail.at(-1)).toBe('--engine wins over DOCKER_HOST and the current context, as in the docker CLI');
  });
});
