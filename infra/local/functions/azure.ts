import { InvocationContext } from '@azure/functions';
import { FUNCTION_NAMES, registerFunctions, type FunctionRegistry } from '../../../functions/azure/register';
import { once } from '../../../functions/azure/support/deps';
import type { Trigger } from '../../../shared/model';
import type { Policy } from '../../../shared/policy';
import type { ReconcileResult } from '../../../shared/reconcile';
import { createAzureRuntime, type AzureRuntime } from '../../../shared/runtime/azure';
import { MemoryIdempotencyStore } from '../../../shared/stores/idempotency';
import type { AuditLog } from '../../../shared/stores/ports';
import type { LocalApprovalWiring } from './approvals';

type Handler = (input: unknown, context: InvocationContext) => Promise<unknown>;

/** The real Azure function registrations, recorded instead of registered with a Functions host. */
export interface LocalAzureFunctions {
  runtime: AzureRuntime;
  /** Invokes `app.eventGrid` with one event, as the subscription's system topic would. */
  eventGrid(event: unknown): Promise<unknown>;
  reconcile(trigger: Trigger): Promise<ReconcileResult | undefined>;
}

/** Builds the Azure functions over the ARM emulator at `endpoint`. */
export function localAzureFunctions(opts: {
  policy: Policy;
  endpoint: string;
  audit: AuditLog;
  approvals: LocalApprovalWiring;
  log: (line: string) => void;
  now?: () => Date;
}): LocalAzureFunctions {
  const runtime = createAzureRuntime({
    policy: opts.policy,
    env: { PEERKEEPER_AZURE_ENDPOINT: opts.endpoint },
    audit: opts.audit,
    idempotency: new MemoryIdempotencyStore(),
    approvals: opts.approvals.runtime,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const handlers = new Map<string, Handler>();
  const keep = (name: string, options: unknown) => void handlers.set(name, (options as { handler: Handler }).handler);
  // The registry is the part of `app` registerFunctions uses; recording it lets the local cloud invoke the real handlers.
  const registry = { eventGrid: keep, http: keep, timer: keep, storageQueue: keep } as unknown as FunctionRegistry;
  registerFunctions(registry, { clock: Date.now, runtime: once(() => runtime) });
  let invocations = 0;
  const context = (functionName: string) =>
    new InvocationContext({
      invocationId: `local-${++invocations}`,
      functionName,
      logHandler: (level, ...args) => {
        if (process.env.PK_DEBUG || level === 'error' || level === 'warning')
          opts.log(`azure ${functionName}: ${String(args[0])}`);
      },
    });
  return {
    runtime,
    eventGrid: (event) => handlers.get(FUNCTION_NAMES.events)!(event, context(FUNCTION_NAMES.events)),
    reconcile: async (trigger) => {
      const outcome = await runtime.reconcileTrigger(trigger, Date.now());
      return outcome.status === 'reconciled' ? outcome.result : undefined;
    },
  };
}
