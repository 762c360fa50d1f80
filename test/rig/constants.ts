// Names the test rig creates and the tests rely on: images, local registries, test credentials.
// Import these instead of repeating the strings, so the rig and the tests cannot drift apart.

/** Label on every object the rig creates (images), so only rig objects are ever touched. */
export const RIG_LABEL = 'dev.jobsim.rig';
/** Label holding a hash of the recipe an image was built from; a changed recipe forces a rebuild. */
export const RIG_RECIPE_LABEL = 'dev.jobsim.rig.recipe';

export const TEST_IMAGES = {
  /** busybox shell (FROM scratch + Debian busybox-static). */
  shell: 'jobsim-test/shell:1',
  /** EXPOSE 8080; busybox httpd serving HTTP_OK_BODY at `/`. */
  http: 'jobsim-test/http:1',
  /** ENTRYPOINT /entrypoint.sh: exports ENTRYPOINT_RAN=yes then exec "$@"; CMD ["sh"]. */
  entrypoint: 'jobsim-test/entrypoint:1',
} as const;

/** The shell image, tagged as the real busybox so the bundled demo runs offline with if-not-present. */
export const DEMO_IMAGE = 'busybox:1.36';

export const HTTP_PORT = 8080;
export const HTTP_OK_BODY = 'jobsim-http-ok';

/** Local registry with no authentication (loopback only). */
export const OPEN_REGISTRY = '127.0.0.1:5000';
/** Local registry with htpasswd basic auth (loopback only). */
export const AUTH_REGISTRY = '127.0.0.1:5001';
/** Credentials accepted by AUTH_REGISTRY. Test-only; never used for anything else. */
export const AUTH_REGISTRY_CREDENTIALS = { username: 'jobsim', password: 'jobsim-test-password' } as const;

/** Repository path (without registry) the rig pushes the shell image to on both registries. */
export const REGISTRY_SHELL_REPO = 'jobsim/shell:1';
export const OPEN_REGISTRY_SHELL_IMAGE = `${OPEN_REGISTRY}/${REGISTRY_SHELL_REPO}`;
export const AUTH_REGISTRY_SHELL_IMAGE = `${AUTH_REGISTRY}/${REGISTRY_SHELL_REPO}`;

/** Where the rig keeps registry storage, configs and process logs (as root). */
export const RIG_STATE_DIR = '/var/lib/jobsim-rig';
/** The same for a developer running the rig without root. */
export function rigStateDir(): string {
  if (process.getuid?.() === 0) return RIG_STATE_DIR;
  const base = process.env.XDG_STATE_HOME || `${process.env.HOME ?? '/tmp'}/.local/state`;
  return `${base}/jobsim-rig`;
}
/** dockerd's log when the rig started it. */
export const DOCKERD_LOG = '/var/log/jobsim-dockerd.log';

export const CHROMIUM_PATH = '/usr/bin/chromium';
