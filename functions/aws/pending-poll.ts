import { fanOutHandler } from './support/fan-out';
import { createFanOutRuntime } from '../../shared/runtime/fan-out';
import { defaultDeps, type HandlerDeps } from './support/wiring';

/**
 * The frequent pending-request poll (every few minutes, `custom.peerkeeper.pendingPollRate`). A peering
 * request from an account outside the organization is logged in the requester's CloudTrail, not ours, so
 * no event announces it: each governed account and region is re-read on this schedule (trigger kind `poll`),
 * down the same work queue as the sweep.
 */
export function pendingPollHandler(deps: HandlerDeps) {
  return fanOutHandler('poll', deps);
}

export const handler = pendingPollHandler(defaultDeps('pending-poll', (log) => createFanOutRuntime({ log })));
