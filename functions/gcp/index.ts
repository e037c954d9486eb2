import { cloudEvent, http } from '@google-cloud/functions-framework';
import { createGcpRuntime } from '../../shared/runtime/gcp';
import { approvalHttpHandler } from './approval';
import { approvalWorkerHandler } from './approval-worker';
import { auditEventHandler } from './event';
import { sweepHandler } from './sweep';
import { sweepWorkerHandler } from './sweep-worker';
import { once, structuredLog, type RuntimeSource } from './support';

/** The entry points infra/gcp/main.tf deploys (`entry_point`); the Terraform test checks both lists agree. */
export const GCP_FUNCTION_NAMES = {
  event: 'peerkeeperEvent',
  sweep: 'peerkeeperSweep',
  sweepWorker: 'peerkeeperSweepWorker',
  approval: 'peerkeeperApproval',
  approvalWorker: 'peerkeeperApprovalWorker',
} as const;

/** Registers every function with the functions framework over one runtime source (tests pass their own). */
export function registerGcpFunctions(runtime: RuntimeSource): void {
  cloudEvent(GCP_FUNCTION_NAMES.event, auditEventHandler(runtime));
  http(GCP_FUNCTION_NAMES.sweep, sweepHandler(runtime));
  cloudEvent(GCP_FUNCTION_NAMES.sweepWorker, sweepWorkerHandler(runtime));
  http(GCP_FUNCTION_NAMES.approval, approvalHttpHandler(runtime));
  cloudEvent(GCP_FUNCTION_NAMES.approvalWorker, approvalWorkerHandler(runtime));
}

// One runtime per instance (cold start), shared by concurrent invocations: the adapter's network locks
// only serialize peering operations that go through the same adapter.
registerGcpFunctions(once(() => createGcpRuntime({ log: structuredLog(process.env.FUNCTION_TARGET ?? 'peerkeeper') })));
