// The config.toml keys jobsim knows: the ones it implements, and the runner's other keys, which it
// accepts with a warning so a real runner config can be used unchanged.

export const IMPLEMENTED_RUNNER_KEYS = ['builds_dir', 'cache_dir', 'environment', 'docker'] as const;

/** Runner-level keys of GitLab Runner that change nothing in a local reproduction: accepted silently. */
export const IGNORED_RUNNER_KEYS = ['name', 'url', 'id', 'token', 'token_obtained_at', 'token_expires_at', 'executor', 'limit', 'request_concurrency', 'clone_url', 'tls-ca-file', 'tls-cert-file', 'tls-key-file', 'debug_trace_disabled', 'unhealthy_requests_limit', 'unhealthy_interval', 'shell'] as const;

/** Runner-level keys that would change a job but jobsim does not reproduce yet: a warning names them. */
export const WARNED_RUNNER_KEYS = ['pre_get_sources_script', 'post_get_sources_script', 'pre_build_script', 'post_build_script', 'output_limit', 'referees', 'cache', 'custom_build_dir', 'feature_flags', 'ssh', 'kubernetes', 'custom', 'machine', 'autoscaler', 'parallels', 'virtualbox', 'environment_variables'] as const;

/** Top-level (global) keys of config.toml. */
export const GLOBAL_KEYS = ['concurrent', 'check_interval', 'log_level', 'log_format', 'listen_address', 'shutdown_timeout', 'sentry_dsn', 'connection_max_age', 'session_server', 'runners'] as const;

export const IMPLEMENTED_DOCKER_KEYS = [
  'image', 'services', 'privileged', 'pull_policy', 'allowed_pull_policies', 'allowed_images', 'allowed_services',
  'volumes', 'tmpfs', 'services_tmpfs', 'cache_dir', 'disable_cache', 'wait_for_services_timeout',
  'disable_entrypoint_overwrite', 'user', 'memory', 'cpus', 'shm_size', 'extra_hosts', 'dns', 'cap_add', 'cap_drop',
  'network_mode', 'helper_image', 'ignore_image_entrypoint',
] as const;

export const WARNED_DOCKER_KEYS = [
  'host', 'hostname', 'tls_verify', 'tls_cert_path', 'memory_swap', 'memory_reservation', 'cpuset_cpus', 'cpuset_mems', 'cpu_shares',
  'oom_kill_disable', 'oom_score_adjust', 'security_opt', 'devices', 'device_cgroup_rules', 'gpus', 'dns_search', 'links',
  'userns_mode', 'volume_driver', 'volume_driver_ops', 'volumes_from', 'sysctls', 'ulimit', 'isolation', 'mac_address', 'runtime',
  'network_mtu', 'service_memory', 'service_memory_swap', 'service_memory_reservation', 'service_cpus', 'service_cpu_shares',
  'service_cpuset_cpus', 'service_gpus', 'services_limit', 'helper_image_flavor', 'helper_image_autoset_arch_and_os',
  'container_labels', 'disable_entrypoint_overwrite_for_services', 'enable_ipv6', 'ipcmode', 'group_add', 'shm_size_for_services',
  'services_security_opt', 'services_privileged', 'allowed_privileged_images', 'allowed_privileged_services', 'allowed_users',
  'wait_for_services_timeout_seconds', 'log_options', 'cap_add_services', 'devices_for_services', 'services_devices',
  'privileged_services', 'pull_policies', 'max_builds',
] as const;
