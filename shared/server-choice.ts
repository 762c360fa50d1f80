// Where the simulated project lives on a GitLab server: by default derived from the git remote `origin`;
// `--server-url`, `--project-path`, `--default-branch` and `--registry` say it when origin cannot.

export interface ServerChoice {
  /** The instance's URL, e.g. `https://gitlab.example.com` (a relative URL root like `/gitlab` is kept). */
  serverUrl?: string;
  /** `group/sub/name`. */
  projectPath?: string;
  defaultBranch?: string;
  /** The container registry's `host[:port]`. */
  registry?: string;
}
