// `artifacts:reports`: every report type GitLab accepts, each with its paths (a string or a list),
// and `coverage_report: {coverage_format, path}`. Issue 16 gives them their run behaviour.

import type { ReportPlan } from '../../shared/plan.js';
import { readStringList, readString } from './fields.js';
import { describe, type Located } from './located.js';
import type { Problems } from './problems.js';
import { didYouMean, unknownKeyMessage } from './suggestions.js';

/** GitLab's Entry::Reports keys (CE and EE). */
export const REPORT_TYPES = [
  'junit', 'codequality', 'sast', 'secret_detection', 'dependency_scanning', 'container_scanning', 'dast',
  'performance', 'browser_performance', 'load_performance', 'license_scanning', 'metrics', 'lsif', 'dotenv',
  'terraform', 'accessibility', 'coverage_fuzzing', 'api_fuzzing', 'cluster_image_scanning', 'requirements',
  'requirements_v2', 'coverage_report', 'cyclonedx', 'annotations', 'repository_xray',
];
const COVERAGE_FORMATS = ['cobertura', 'jacoco'];

export function readReports(node: Located, job: string, expand: (text: string) => string, problems: Problems): ReportPlan[] | undefined {
  const owner = `job "${job}"`;
  if (node.kind !== 'map') {
    problems.error(`${owner}: artifacts:reports config should be a hash, not ${describe(node)}`, node.where);
    return undefined;
  }
  const reports: ReportPlan[] = [];
  for (const { key, keyWhere, value } of node.entries) {
    if (!REPORT_TYPES.includes(key)) {
      problems.error(`${owner}: artifacts:reports config contains unknown keys: ${key}${didYouMean(key, REPORT_TYPES)}`, keyWhere);
      continue;
    }
    if (key === 'coverage_report') {
      const report = readCoverageReport(value, owner, expand, problems);
      if (report) reports.push(report);
      continue;
    }
    if (value.kind === 'map') {
      problems.error(`${owner}: artifacts:reports ${key} should be an array of strings or a string`, value.where);
      continue;
    }
    const paths = readStringList(value, `${owner}: artifacts:reports ${key}`, problems);
    if (paths) reports.push({ type: key, paths: paths.map(expand) });
  }
  return reports;
}

function readCoverageReport(node: Located, owner: string, expand: (text: string) => string, problems: Problems): ReportPlan | undefined {
  const what = `${owner}: artifacts:reports coverage_report`;
  if (node.kind !== 'map') {
    problems.error(`${what} config should be a hash (coverage_format, path)`, node.where);
    return undefined;
  }
  let format: string | undefined;
  let path: string | undefined;
  for (const { key, keyWhere, value } of node.entries) {
    if (key === 'coverage_format') {
      format = readString(value, `${what} coverage_format`, problems);
      if (format !== undefined && !COVERAGE_FORMATS.includes(format)) {
        problems.error(`${what} coverage format must be one of supported formats: ${COVERAGE_FORMATS.join(', ')}.`, value.where);
        return undefined;
      }
    } else if (key === 'path') path = readString(value, `${what} path`, problems);
    else {
      problems.error(unknownKeyMessage(owner, 'artifacts:reports:coverage_report', key, ['coverage_format', 'path']), keyWhere);
      return undefined;
    }
  }
  if (format === undefined) problems.error(`${what} coverage format can't be blank`, node.where);
  if (path === undefined) problems.error(`${what} path can't be blank`, node.where);
  if (format === undefined || path === undefined) return undefined;
  return { type: 'coverage_report', paths: [expand(path)], coverageFormat: format };
}
