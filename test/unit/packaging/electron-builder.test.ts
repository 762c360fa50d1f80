// Installers need the Electron download, so CI checks the packaging config instead of building.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Target {
  target: string;
  arch?: string[];
}

const config = parse(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as {
  appId: string;
  productName: string;
  extraMetadata: { main: string };
  files: string[];
  linux: { target: string[]; maintainer: string };
  mac: { target: Target[] };
  win: { target: Target[] };
};

describe('electron-builder.yml', () => {
  it('names the app and points at the bundled main process', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z-]+)+$/);
    expect(config.productName).toBe('jobsim');
    expect(config.extraMetadata.main).toBe('dist/electron/main.js');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { main: string };
    expect(pkg.main).toBe(config.extraMetadata.main);
  });

  it('builds AppImage and deb with a maintainer, dmg for both Mac architectures, and nsis', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.mac.target).toContainEqual({ target: 'dmg', arch: ['x64', 'arm64'] });
    expect(config.win.target.map((t) => t.target)).toContain('nsis');
  });

  it('ships the built files only, without tests, sources or source maps', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('!dist/**/*.map');
    expect(config.files.some((f) => f.includes('test'))).toBe(true);
    expect(config.files).not.toContain('main/**/*');
  });
});
