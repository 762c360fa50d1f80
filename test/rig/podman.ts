// The Podman test (test/integration/remote/podman-engine.test.ts) starts its own rootful Podman API
// service with a private storage folder; the rig only installs the packages. catatonit is the init process
// Podman uses for `Init: true` containers (jobsim's service and job containers). netavark and aardvark-dns
// are only Recommends of podman, and the rig installs without them: then Podman falls back to CNI without a
// DNS plugin, and a service's alias (`web`) does not resolve on the job network.

import { existsSync } from 'node:fs';

const NEEDED: [pkg: string, paths: string[]][] = [
  ['podman', ['/usr/bin/podman']],
  ['catatonit', ['/usr/bin/catatonit', '/usr/libexec/podman/catatonit']],
  ['netavark', ['/usr/lib/podman/netavark', '/usr/libexec/podman/netavark']],
  ['aardvark-dns', ['/usr/lib/podman/aardvark-dns', '/usr/libexec/podman/aardvark-dns']],
];

export function missingPodmanPackages(): string[] {
  return NEEDED.filter(([, paths]) => !paths.some((path) => existsSync(path))).map(([pkg]) => pkg);
}
