// The Podman test (test/integration/remote/podman-engine.test.ts) starts its own rootful Podman API
// service with a private storage folder; the rig only installs the packages. catatonit is the init process
// Podman uses for `Init: true` containers (jobsim's service and job containers).

import { existsSync } from 'node:fs';

export function missingPodmanPackages(): string[] {
  return [...(existsSync('/usr/bin/podman') ? [] : ['podman']), ...(existsSync('/usr/bin/catatonit') || existsSync('/usr/libexec/podman/catatonit') ? [] : ['catatonit'])];
}
