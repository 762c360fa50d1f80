// Stored runs outlive the jobsim that wrote them. Events read back from history are brought up to the
// current shape here, once, so every reader (replay, compare, rerun pins, the views) can trust it.

import type { RunEvent } from './events.js';

/** Fills in fields added to the event vocabulary after the run was stored. */
export function upgradeStoredEvent(event: RunEvent): RunEvent {
  // Before `effectivePolicies` (2026-12): the runner tried the requested policies it allowed, in order.
  if (event.type === 'pull' && !Array.isArray((event as Partial<typeof event>).effectivePolicies)) {
    const effectivePolicies = event.decision === 'refused' ? [] : event.policies.filter((policy) => event.allowedPolicies.includes(policy));
    return { ...event, effectivePolicies };
  }
  return event;
}
