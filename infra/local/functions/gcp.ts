import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { GCP_FUNCTION_NAMES, registerGcpFunctions } from '../../../functions/gcp';
import type { Trigger } from '../../../shared/model';
import type { Policy } from '../../../shared/policy';
import { createGcpProvider } from '../../../shared/providers/gcp';
import type { ReconcileResult } from '../../../shared/reconcile';
import { createGcpRuntime, type GcpRuntime } from '../../../shared/runtime/gcp';
import type { AuditLog } from '../../../shared/stores/ports';
import type { LocalApprovalWiring } from './approvals';

/** The real Google Cloud functions, registered with the functions framework and invoked in process. */
export interface LocalGcpFunctions {
  runtime: GcpRuntime;
  /** Invokes `peerkeeperEvent` with one audit-log CloudEvent, as Eventarc would. */
  auditEvent(event: unknown): Promise<unknown>;
  reconcile(trigger: Trigger): Promise<ReconcileResult>;
}

/** Builds the GCP functions over the Compute emulator at `origin` (Compute at /compute/v1, Resource Manager at /v1). */
export function localGcpFunctions(opts: {
  policy: Policy;
  origin: string;
  audit: AuditLog;
  approvals: LocalApprovalWiring;
  log: (line: string) => void;
  now?: () => Date;
}): LocalGcpFunctions {
  const env = {
    PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${opts.origin}/compute/v1`,
    // NCC operations finish in tens of milliseconds here (the emulator's timing), not the cloud's seconds.
    PEERKEEPER_GCP_OPERATION_POLL_MS: '10',
    CLOUDSDK_CONFIG: '/nonexistent',
    PEERKEEPER_WORK_TOPIC: 'projects/peerkeeper-local/topics/peerkeeper-work',
    PEERKEEPER_DEAD_LETTER_TOPIC: 'projects/peerkeeper-local/topics/peerkeeper-dead-letter',
    PEERKEEPER_TIMEOUT_SECONDS: '540',
  };
  const runtime = createGcpRuntime({
    policy: opts.policy,
    env,
    audit: opts.audit,
    approvals: opts.approvals.runtime,
    ...(opts.now ? { now: opts.now } : {}),
    providers: { gcp: createGcpProvider(opts.policy, env, { attempts: 4, baseMs: 20, maxMs: 200 }) },
    publisher: {
      publish: async (topic, messages) => {
        if (topic.endsWith('dead-letter'))
          opts.log(`gcp dead letter: ${JSON.stringify(messages[0]?.data).slice(0, 300)}`);
        return messages.length;
      },
    },
  });
  registerGcpFunctions(() => runtime);
  const event = getFunction(GCP_FUNCTION_NAMES.event) as unknown as (e: CloudEvent<unknown>) => Promise<unknown>;
  return {
    runtime,
    auditEvent: (e) => event(e as CloudEvent<unknown>),
    reconcile: async (trigger) => (await runtime.reconcileTrigger(trigger, Date.now())).result,
  };
}
