// Which GitLab CI keywords jobsim implements, which it accepts with a warning, and the full vocabulary
// used for did-you-mean suggestions. docs/keywords.md is the human-readable version of these lists.

export const GLOBAL_KEYWORDS = [
  'stages', 'default', 'include', 'variables', 'workflow', 'spec',
  // Deprecated name of `stages` (used when there is no `stages:`).
  'types',
  // Deprecated at the top level but still valid: they act like `default:`.
  'image', 'services', 'before_script', 'after_script', 'cache',
] as const;

export const JOB_KEYWORDS = [
  'stage', 'image', 'services', 'variables', 'before_script', 'script', 'after_script', 'cache',
  'artifacts', 'needs', 'dependencies', 'when', 'allow_failure', 'timeout', 'extends', 'rules', 'inherit',
  'parallel', 'only', 'except',
  // Planned (typed in the JobPlan); issue 16 gives them their run behaviour.
  'tags', 'retry', 'interruptible', 'resource_group', 'environment', 'coverage', 'trigger', 'start_in',
  // Deprecated name of `stage` (used when there is no `stage:`).
  'type',
] as const;

/** Valid GitLab job keywords jobsim does not act on: accepted, with a warning naming them. */
export const WARNED_JOB_KEYWORDS: Record<string, string> = {
  release: '`release` is ignored',
  pages: '`pages` is ignored',
  secrets: '`secrets` (external secret managers) is not implemented; use --secret or .jobsim/secrets.env',
  id_tokens: '`id_tokens` is not implemented',
  hooks: '`hooks` is not implemented yet',
  identity: '`identity` is ignored',
  manual_confirmation: '`manual_confirmation` is ignored',
  dast_configuration: '`dast_configuration` is ignored',
  publish: '`publish` is ignored',
  run: '`run` (CI steps) is not implemented',
};

export const DEFAULT_KEYWORDS = [
  'image', 'services', 'before_script', 'after_script', 'cache', 'artifacts', 'timeout',
  'retry', 'tags', 'interruptible', 'hooks', 'id_tokens',
] as const;

export const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

export function isKnownJobKeyword(key: string): boolean {
  return (JOB_KEYWORDS as readonly string[]).includes(key) || key in WARNED_JOB_KEYWORDS;
}

export const ALL_JOB_KEYWORDS: string[] = [...JOB_KEYWORDS, ...Object.keys(WARNED_JOB_KEYWORDS)];
