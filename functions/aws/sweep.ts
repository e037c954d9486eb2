import { fanOutHandler } from './support/fan-out';
import { awsApprovalWiring } from '../../shared/runtime/aws-approvals';
import { createFanOutRuntime } from '../../shared/runtime/fan-out';
import { defaultDeps, type HandlerDeps } from './support/wiring';

/**
 * The scheduled sweep: events are best effort, the sweep repairs what they missed. It only fans out —
 * one work-queue message per governed account and region — and closes expired approvals, so a 1,000-account organization never has to
 * fit into one 15-minute invocation; sweep-worker reconciles each message.
 */
export function sweepHandler(deps: HandlerDeps) {
  return fanOutHandler('sweep', deps);
}

export const handler = sweepHandler(
  defaultDeps('sweep', (log) =>
    createFanOutRuntime({ log, approvals: (policy, env) => awsApprovalWiring(policy, env, log) }),
  ),
);
