// Results of `jobsim image lint` (the CLI and the UI show the same structure). Pure types.

export type LintProfileName = 'spacelift' | 'gitlab';

export type LintStatus = 'pass' | 'warn' | 'fail' | 'info';

export interface LintFinding {
  check: 'shell' | 'ps' | 'user' | 'workdir' | 'entrypoint' | 'architecture' | 'age' | 'registry';
  status: LintStatus;
  message: string;
}

export interface LintReport {
  image: string;
  profile: LintProfileName;
  findings: LintFinding[];
  /** fail when any finding fails, else warn when any warns, else pass. */
  status: Exclude<LintStatus, 'info'>;
}
