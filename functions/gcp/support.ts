import { TerminalError } from '../../shared/errors';
import type { ReconcileResult } from '../../shared/reconcile';
import type { RuntimeLog } from '../../shared/runtime/aws';
import type { GcpRuntime } from '../../shared/runtime/gcp';
import { reconcileCounts } from '../../shared/runtime/work';

/** How handlers reach the runtime: memoized per cold start, so concurrent invocations share one adapter (and its locks). */
export type RuntimeSource = () => GcpRuntime;

/** Memoizes a factory: the runtime is built once per instance, not per invocation. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** One JSON line per entry on stdout: Cloud Logging reads `severity` and `message` from it (structured logging). */
export function structuredLog(fn: string): RuntimeLog {
  const write = (severity: string) => (message: string, extra?: Record<string, unknown>) =>
    console.log(JSON.stringify({ severity, message, function: fn, ...(extra ?? {}) }));
  return { info: write('INFO'), warn: write('WARNING'), error: write('ERROR') };
}

/** What a handler tells its caller (and the test): done, ignored, a duplicate delivery or a dead letter. */
export type HandlerOutcome =
  | { status: 'reconciled'; actions: number; writes: number; failed: number; deferred: number; refused: string[] }
  | { status: 'ignored' | 'duplicate' | 'dead-lettered'; reason: string }
  | { status: 'fanned-out'; partitions: number };

/**
 * Runs `work` once per event id: a redelivered id that completed before is answered `duplicate` without
 * reading anything. Only completions are recorded, so a retried failure runs again. No id: run unkeyed.
 */
export async function idempotent(
  runtime: GcpRuntime,
  id: string | undefined,
  work: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  if (id && (await runtime.processed.has(id))) return { status: 'duplicate', reason: `event ${id} was handled before` };
  const outcome = await work();
  if (id) await runtime.processed.add(id);
  return outcome;
}

/**
 * Turns a terminal error (malformed input, denied by policy) into a dead letter with the reason: logged,
 * parked on the dead-letter topic, acknowledged — never retried forever. Other errors propagate (redelivery).
 */
export async function deadLetterTerminal(
  runtime: GcpRuntime,
  input: unknown,
  work: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TerminalError)) throw error;
    await runtime.deadLetter(input, error);
    return { status: 'dead-lettered', reason: error.message };
  }
}

/** Logs one reconcile; refusals (rejected requests, reports) are listed so a human sees why nothing happened. */
export function report(runtime: GcpRuntime, result: ReconcileResult): HandlerOutcome {
  const counts = reconcileCounts(result);
  const refused = [
    ...result.plan.actions
      .filter((a) => a.action === 'reject-peering' || a.action === 'report')
      .map((a) => `${a.action}: ${a.reason}`),
    ...result.plan.problems.filter((p) => p.code === 'ungoverned').map((p) => `ignored: ${p.message}`),
  ];
  runtime.log.info('reconciled', { ...counts, refused, complete: result.plan.complete, planHash: result.planHash });
  return { status: 'reconciled', ...counts, refused };
}
