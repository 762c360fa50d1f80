// The connection to the Docker engine. The only folder that imports dockerode is main/docker/; the rest of
// jobsim holds a DockerHandle and calls the typed functions exported from this folder.

import Docker from 'dockerode';

export type DockerHandle = Docker;
