// `--server-url URL`, `--project-path group/name`, `--default-branch NAME`, `--registry HOST`: what a
// GitLab server would know about the project, when the origin remote does not say it (list, plan, run).

import type { ServerChoice } from '../../shared/server-choice.js';

export const serverOptions = {
  'server-url': { type: 'string' },
  'project-path': { type: 'string' },
  'default-branch': { type: 'string' },
  registry: { type: 'string' },
} as const;

/** The values are checked where they are used (main/parse/server-facts.ts), with the flag in the message. */
export function serverChoiceFrom(values: { 'server-url'?: string; 'project-path'?: string; 'default-branch'?: string; registry?: string }): ServerChoice {
  return {
    ...(values['server-url'] !== undefined ? { serverUrl: values['server-url'] } : {}),
    ...(values['project-path'] !== undefined ? { projectPath: values['project-path'] } : {}),
    ...(values['default-branch'] !== undefined ? { defaultBranch: values['default-branch'] } : {}),
    ...(values.registry !== undefined ? { registry: values.registry } : {}),
  };
}
