import type { Action, NetworkRef, Scope } from '../model';
import { isAttachmentAction } from '../model';

function refMatches(ref: NetworkRef, want: NetworkRef): boolean {
  return (
    ref.cloud === want.cloud &&
    ref.account === want.account &&
    ref.id.toLowerCase() === want.id.toLowerCase() &&
    (want.region === '*' || ref.region === want.region)
  );
}

function refsOf(action: Action): NetworkRef[] {
  if (action.action === 'report') return action.target.networks ?? [];
  if (action.action === 'create-route' || action.action === 'replace-route')
    return action.peer ? [action.target.network, action.peer] : [action.target.network];
  // An attachment concerns its network and the hub (whose owner's account an event may name).
  if (isAttachmentAction(action)) return [action.target.network, action.target.hub];
  const t = action.target;
  return 'network' in t ? [t.network] : [t.requester, t.accepter];
}

function peeringIdsOf(action: Action): string[] {
  switch (action.action) {
    case 'create-route':
    case 'replace-route':
      return [
        action.after.kind === 'peering' ? action.after.peering.id : undefined,
        action.action === 'replace-route' && action.before.target.kind === 'peering'
          ? action.before.target.peeringId
          : undefined,
      ].filter((x): x is string => x !== undefined);
    case 'delete-route':
      return action.before.target.kind === 'peering' ? [action.before.target.peeringId] : [];
    case 'report':
      return [action.target.subject];
    case 'create-peering':
      return action.replaces ? [action.replaces] : [];
    default:
      return action.target.id ? [action.target.id] : [];
  }
}

/** True when an action touches what the scope names (level-triggered: an event re-checks only its scope). */
export function actionInScope(action: Action, scope: Scope): boolean {
  switch (scope.kind) {
    case 'estate':
      return true;
    case 'account':
      return (
        action.cloud === scope.cloud &&
        refsOf(action).some(
          (r) => r.account === scope.account && (!scope.region || scope.region === '*' || r.region === scope.region),
        )
      );
    case 'network':
      return refsOf(action).some((r) => refMatches(r, scope.network));
    case 'peering':
      return action.cloud === scope.cloud && peeringIdsOf(action).includes(scope.peeringId);
    case 'route-table':
      if (action.action === 'report')
        return (
          action.cloud === scope.cloud &&
          action.target.subject.toLowerCase().startsWith(`${scope.routeTableId.toLowerCase()} `)
        );
      return (
        action.cloud === scope.cloud &&
        'routeTableId' in action.target &&
        action.target.routeTableId.toLowerCase() === scope.routeTableId.toLowerCase()
      );
  }
}

/** The network pair a not-yet-created peering is named by, in a handle or a route target. */
function newPeeringPair(action: Action): string | undefined {
  const handle =
    action.action === 'create-route' || action.action === 'replace-route'
      ? action.after.kind === 'peering'
        ? action.after.peering
        : undefined
      : action.action === 'report' || 'network' in action.target
        ? undefined
        : action.target;
  return handle && !handle.id
    ? `${handle.requester.cloud}:${handle.requester.account}:${handle.requester.id}|${handle.accepter.account}:${handle.accepter.id}`
    : undefined;
}

/**
 * The actions a scope keeps: those touching it, plus everything that follows from a peering the scope creates
 * (its accept, approval and routes name it only by its two networks until it exists).
 */
export function filterToScope(actions: readonly Action[], scope: Scope): Action[] {
  if (scope.kind === 'estate') return [...actions];
  const kept = actions.filter((a) => actionInScope(a, scope));
  const created = new Set(
    kept
      .filter((a) => a.action === 'create-peering')
      .map(newPeeringPair)
      .filter((k): k is string => k !== undefined),
  );
  // A route (or accept, approval) naming a peering this plan does not create cannot run: a route-table scope
  // keeps the routes a wanted-but-missing peering would need, never its create — those wait for that pair's scope.
  const runnable = (a: Action) => {
    const pair = newPeeringPair(a);
    return pair === undefined || created.has(pair);
  };
  return actions.filter((a) => (actionInScope(a, scope) || created.has(newPeeringPair(a) ?? '')) && runnable(a));
}
