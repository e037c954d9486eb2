import type { Action, ActionKind, Problem } from '../model';
import { isMutating } from '../model';

/**
 * Execution order: decisions on requests, then peerings, then routes; route deletes before peering
 * deletes (DESIGN §1). Reports last.
 */
const PHASE: Readonly<Record<ActionKind, number>> = {
  'reject-peering': 0,
  'reject-attachment': 0,
  'create-attachment': 1,
  'accept-attachment': 2,
  'update-attachment': 3,
  'delete-attachment': 8,
  'create-peering': 1,
  'accept-peering': 2,
  'update-peering': 3,
  'request-approval': 4,
  'delete-route': 5,
  'replace-route': 6,
  'create-route': 7,
  'delete-peering': 8,
  report: 9,
};

function sortKey(action: Action): string {
  return JSON.stringify(action.target);
}

/** Orders actions deterministically: by phase, then by target, then by generation order. */
export function orderActions(actions: readonly Action[]): Action[] {
  return actions
    .map((action, i) => ({ action, i, key: sortKey(action) }))
    .sort(
      (a, b) =>
        PHASE[a.action.action] - PHASE[b.action.action] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.i - b.i,
    )
    .map((x) => x.action);
}

/** Caps the mutating actions of one run (`limits.maxChangesPerRun`) and says what was deferred. */
export function capChanges(actions: readonly Action[], max: number): { actions: Action[]; problems: Problem[] } {
  let changes = 0;
  const kept: Action[] = [];
  for (const a of actions) {
    if (isMutating(a)) {
      if (changes >= max) continue;
      changes += 1;
    }
    kept.push(a);
  }
  const deferred = actions.filter(isMutating).length - changes;
  return {
    actions: kept,
    problems:
      deferred === 0
        ? []
        : [
            {
              severity: 'warning',
              code: 'change-limit',
              message: `${deferred} change(s) deferred to the next run: limits.maxChangesPerRun is ${max}`,
            },
          ],
  };
}
