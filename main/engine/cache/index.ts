// The cache module's public surface: the engine calls prepareCaches; the CLI and UI use the browser.

export { prepareCaches } from './prepare.js';
export { createCacheBrowser, type CacheBrowser } from './browser.js';
