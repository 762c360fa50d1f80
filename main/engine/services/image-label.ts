// How the runner names a service's image in its log lines.

import type { ServicePlan } from '../../../shared/plan.js';

/** `name:tag` as the runner prints it in `Starting service …`: the tag defaults to `latest`. */
export function serviceImageLabel(service: ServicePlan): string {
  const ref = service.image.ref;
  if (ref.digest || ref.isImageId) return ref.written;
  const written = ref.written;
  const lastSlash = written.lastIndexOf('/');
  const colon = written.indexOf(':', lastSlash + 1);
  const base = colon === -1 ? written : written.slice(0, colon);
  return `${base}:${ref.tag ?? 'latest'}`;
}
