import type { Action, Cloud, Plan } from '../model';
import { isMutating, networkKey } from '../model';
import { ConvergedError, PeerkeeperError, RetryableError, StaleActionError } from '../errors';
import type { PeeringProvider } from '../providers/port';

/** What happened to one planned action. */
export interface ActionResult {
  action: Action;
  status: 'done' | 'converged' | 'skipped' | 'failed' | 'deferred' | 'observed' | 'reported';
  detail?: string;
  peeringId?: string;
  attempts: number;
  error?: { name: string; code?: string; message: string; retryable: boolean };
}

/** Side effects the executor needs; all injectable so tests are deterministic. */
export interface ExecuteDeps {
  providers: Partial<Record<Cloud, PeeringProvider>>;
  now: () => Date;
  /** Epoch ms: stop starting actions this close to the function's timeout; the rest is left to the sweep. */
  deadline: number;
  mode: 'observe' | 'enforce';
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  /** Epoch ms the plan's observation began (handed to adapters so a fresh plan's write skips a re-read). */
  observedAt?: number;
  /** Called for `request-approval` actions once the peering id is known. */
  requestApproval?: (
    action: Extract<Action, { action: 'request-approval' }>,
    peeringId: string,
  ) => Promise<'created' | 'exists'>;
}

// Full jitter on an exponential base (AWS architecture blog): 200 ms, 400 ms, … capped at 10 s.
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 10_000;
// Leave this much of the deadline for recording results.
const DEADLINE_MARGIN_MS = 1_000;

function describeError(error: unknown): ActionResult['error'] {
  if (error instanceof PeerkeeperError)
    return {
      name: error.name,
      ...(error.code ? { code: error.code } : {}),
      message: error.message,
      retryable: error.retryable,
    };
  return {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  };
}

/**
 * Executes a plan in order. Observe mode sends no writes. Retryable errors are retried with backoff and
 * jitter while the deadline allows; already-exists / not-found count as converged; stale actions are skipped.
 */
export async function executePlan(plan: Plan, deps: ExecuteDeps): Promise<ActionResult[]> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const maxAttempts = deps.maxAttempts ?? 5;
  const created = new Map<string, string>();
  const results: ActionResult[] = [];
  const resolvePeeringId = (req: string, acc: string) => created.get(`${req}|${acc}`);
  for (const action of plan.actions) {
    if (action.action === 'report') {
      results.push({ action, status: 'reported', attempts: 0 });
      continue;
    }
    if (deps.mode === 'observe') {
      results.push({ action, status: 'observed', attempts: 0 });
      continue;
    }
    if (deps.now().getTime() >= deps.deadline - DEADLINE_MARGIN_MS) {
      results.push({ action, status: 'deferred', detail: 'deadline reached; left to the next run', attempts: 0 });
      continue;
    }
    if (action.action === 'request-approval') {
      const id =
        action.target.id ?? resolvePeeringId(networkKey(action.target.requester), networkKey(action.target.accepter));
      if (!id || !deps.requestApproval) {
        results.push({
          action,
          status: 'skipped',
          detail: id ? 'no approval store configured' : 'the peering to approve was not created',
          attempts: 0,
        });
        continue;
      }
      const outcome = await deps.requestApproval(action, id);
      results.push({ action, status: outcome === 'created' ? 'done' : 'converged', peeringId: id, attempts: 1 });
      continue;
    }
    const provider = deps.providers[action.cloud];
    if (!provider) {
      results.push({
        action,
        status: 'failed',
        attempts: 0,
        error: { name: 'TerminalError', message: `no ${action.cloud} provider configured`, retryable: false },
      });
      continue;
    }
    results.push(
      await applyWithRetry(action, provider, { ...deps, sleep, random, maxAttempts, resolvePeeringId, created }),
    );
  }
  return results;
}

async function applyWithRetry(
  action: Action,
  provider: PeeringProvider,
  d: ExecuteDeps & {
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    maxAttempts: number;
    resolvePeeringId: (a: string, b: string) => string | undefined;
    created: Map<string, string>;
  },
): Promise<ActionResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await provider.apply(action, {
        now: d.now(),
        deadline: d.deadline,
        resolvePeeringId: d.resolvePeeringId,
        attempt,
        ...(d.observedAt !== undefined ? { observedAt: d.observedAt } : {}),
      });
      if (action.action === 'create-peering' && outcome.peeringId)
        d.created.set(
          `${networkKey(action.target.requester)}|${networkKey(action.target.accepter)}`,
          outcome.peeringId,
        );
      // An attachment made earlier in the plan is accepted (or put to approval) by its network and hub.
      if (action.action === 'create-attachment' && outcome.peeringId)
        d.created.set(`${networkKey(action.target.network)}|${networkKey(action.target.hub)}`, outcome.peeringId);
      return {
        action,
        status: outcome.status,
        attempts: attempt,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.peeringId ? { peeringId: outcome.peeringId } : {}),
      };
    } catch (error) {
      if (error instanceof ConvergedError)
        return { action, status: 'converged', detail: error.message, attempts: attempt };
      if (error instanceof StaleActionError)
        return { action, status: 'skipped', detail: error.message, attempts: attempt };
      if (!(error instanceof RetryableError) || attempt >= d.maxAttempts)
        return { action, status: 'failed', attempts: attempt, error: describeError(error) };
      const backoff =
        error.retryAfterMs ?? Math.round(d.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)));
      if (d.now().getTime() + backoff >= d.deadline - DEADLINE_MARGIN_MS)
        return {
          action,
          status: 'deferred',
          attempts: attempt,
          detail: `retryable error near the deadline: ${error.message}`,
          error: describeError(error),
        };
      await d.sleep(backoff);
    }
  }
}

/** Writes the executor made (changes to a cloud). */
export function countWrites(results: readonly ActionResult[]): number {
  return results.filter((r) => r.status === 'done' && isMutating(r.action)).length;
}
