// The job keywords jobsim reads into the plan before it gives them their run behaviour: reports, retry,
// environments and downstream (trigger) pipelines. Part of shared/plan.ts's contract, kept apart for size.

/** One `artifacts:reports` entry: `junit`, `dotenv`, `codequality`, `sast`, `coverage_report`... */
export interface ReportPlan {
  type: string;
  /** Paths or globs as written, variables expanded. */
  paths: string[];
  /** `coverage_report:coverage_format` (cobertura, jacoco). */
  coverageFormat?: string;
}

/**
 * GitLab's failure reasons a `retry:when` may name, plus `always`. GitLab adds reasons over time, so a
 * value outside this list is kept with a warning rather than rejected.
 */
export const RETRY_WHEN = [
  'always', 'unknown_failure', 'script_failure', 'api_failure', 'stuck_or_timeout_failure', 'runner_system_failure',
  'missing_dependency_failure', 'runner_unsupported', 'stale_schedule', 'job_execution_timeout', 'archived_failure',
  'unmet_prerequisites', 'scheduler_failure', 'data_integrity_failure', 'forward_deployment_failure', 'user_blocked',
  'project_deleted', 'ci_quota_exceeded', 'pipeline_loop_detected', 'no_matching_runner', 'trace_size_exceeded',
  'builds_disabled', 'insufficient_bridge_permissions', 'downstream_bridge_project_not_found', 'invalid_bridge_trigger',
  'bridge_pipeline_is_child_pipeline', 'downstream_pipeline_creation_failed', 'secrets_provider_not_found',
  'reached_max_descendant_pipelines_depth', 'ip_restriction_failure', 'failed_outdated_deployment_job',
  'runner_interrupted', 'protected_environment_failure', 'environment_creation_failure', 'deployment_rejected',
  'insufficient_upstream_permissions', 'upstream_bridge_project_not_found', 'reached_max_pipeline_hierarchy_size',
  'runner_provisioning_timeout', 'stuck_pending_with_matching_runners', 'stuck_pending_no_matching_runners',
  'no_updates_running', 'no_updates_canceling', 'server_timeout_running', 'server_timeout_canceling',
] as const;

/** `retry: N` or `retry: {max, when, exit_codes}`. */
export interface RetryPlan {
  /** Retries after the first attempt (0-2). */
  max: number;
  /** Which failures are retried (GitLab's default: `always`); usually values of RETRY_WHEN. */
  when: string[];
  /** Only failures with one of these exit codes are retried (empty: any). */
  exitCodes: number[];
}

/** `environment:` (a name, or the mapping); name and url have the job's variables expanded. */
export interface EnvironmentPlan {
  name: string;
  url?: string;
  action: 'start' | 'prepare' | 'stop' | 'verify' | 'access';
  deploymentTier?: 'production' | 'staging' | 'testing' | 'development' | 'other';
  /** The job that stops this environment. */
  onStop?: string;
  /** As written (`1 day`, `never`); milliseconds when it is a duration. */
  autoStopIn?: string;
  autoStopInMs?: number;
  /** `environment:kubernetes` (agent, namespace, flux_resource_path...), as written. */
  kubernetes?: Record<string, unknown>;
}

/** What a trigger job passes to its downstream pipeline (`trigger:forward`). */
export interface TriggerForward {
  yamlVariables: boolean;
  pipelineVariables: boolean;
}

/** One `trigger:include` entry of a child pipeline. */
export type ChildInclude =
  | { kind: 'local'; path: string }
  | { kind: 'project'; project: string; files: string[]; ref?: string }
  | { kind: 'template'; name: string }
  | { kind: 'remote'; url: string }
  | { kind: 'component'; ref: string }
  /** A file an earlier job (`job`) left in its artifacts: a generated child pipeline. */
  | { kind: 'artifact'; path: string; job: string };

/** `trigger:` of a job that starts a downstream pipeline instead of running a container. */
export type TriggerPlan =
  /** A multi-project pipeline (`trigger: group/project` or `{project, branch}`). */
  | { kind: 'project'; project: string; branch?: string; strategy?: 'depend' | 'mirror'; forward: TriggerForward }
  /** A child pipeline of this project (`trigger: {include: ...}`). */
  | { kind: 'child'; include: ChildInclude[]; strategy?: 'depend' | 'mirror'; forward: TriggerForward };
