import { MalformedEventError } from '../../errors';
import type { Scope, TriggerKind } from '../../model';
import { asRecord } from '../shape';
import { armIdPrefix, parseArmId } from './resource-id';
import type { ResourceEventData } from './envelope';

/**
 * Azure resource ids carry no location, so scopes built from them use region '*' ("unknown: resolve by observing
 * the subscription").
 */
export const UNKNOWN_REGION = '*';

/** What an ARM operation asks peerkeeper to re-check, or the reason it needs no work (a string). */
export type OperationOutcome = { scope: Scope; kind: TriggerKind } | string;

const VERB = '(write|delete)';
const WATCHED: readonly { pattern: RegExp; kind: TriggerKind; build: 'vnet' | 'route-table' | 'virtual-hub' }[] = [
  {
    pattern: new RegExp(`^microsoft\\.network/virtualnetworks/virtualnetworkpeerings/${VERB}$`),
    kind: 'peering',
    build: 'vnet',
  },
  // Subnet writes are how a route table gets associated with a subnet; the VNet is re-observed.
  { pattern: new RegExp(`^microsoft\\.network/virtualnetworks/subnets/${VERB}$`), kind: 'network', build: 'vnet' },
  { pattern: new RegExp(`^microsoft\\.network/virtualnetworks/${VERB}$`), kind: 'network', build: 'vnet' },
  { pattern: new RegExp(`^microsoft\\.network/routetables/routes/${VERB}$`), kind: 'route', build: 'route-table' },
  { pattern: new RegExp(`^microsoft\\.network/routetables/${VERB}$`), kind: 'route', build: 'route-table' },
  // Virtual WAN: a hub connection (a transit attachment) or a hub route table (static routes, labels) changed.
  {
    pattern: new RegExp(`^microsoft\\.network/virtualhubs/hubvirtualnetworkconnections/${VERB}$`),
    kind: 'peering',
    build: 'virtual-hub',
  },
  {
    pattern: new RegExp(`^microsoft\\.network/virtualhubs/hubroutetables/${VERB}$`),
    kind: 'route',
    build: 'virtual-hub',
  },
];

const TOP_TYPE = { vnet: 'virtualnetworks', 'route-table': 'routetables', 'virtual-hub': 'virtualhubs' } as const;

/** Maps a successful ARM operation on `resourceId` to a scope. Operation names are matched case-insensitively. */
export function scopeForOperation(
  data: ResourceEventData,
  resourceId: string | undefined,
  eventType: string,
): OperationOutcome {
  const operation = data.operationName.toLowerCase();
  if (operation.startsWith('microsoft.subscription/aliases/')) {
    const isCreate =
      operation === 'microsoft.subscription/aliases/write' ||
      (eventType === 'Microsoft.Resources.ResourceActionSuccess' && operation.endsWith('/action'));
    return isCreate ? vendingScope(data) : `peerkeeper does not watch ${data.operationName}`;
  }
  if (/^microsoft\.management\/managementgroups\/subscriptions\/(write|delete)$/.test(operation))
    return managementGroupMoveScope(data.operationName, resourceId);
  const watched = WATCHED.find((entry) => entry.pattern.test(operation));
  if (!watched) return `peerkeeper does not watch ${data.operationName}`;
  const arm = resourceId === undefined ? undefined : parseArmId(resourceId);
  if (!arm?.subscription) throw unreadable(data.operationName, resourceId);
  if (arm.types[0]?.[0].toLowerCase() !== TOP_TYPE[watched.build]) throw unreadable(data.operationName, resourceId);
  const id = armIdPrefix(arm, 1);
  if (!id) throw unreadable(data.operationName, resourceId);
  const account = arm.subscription.toLowerCase();
  // A hub's connections and tables live in the hub's subscription: re-read that account (its spokes' VNets are
  // found through the connections; the hub's location is not in the id).
  if (watched.build === 'virtual-hub')
    return { scope: { kind: 'account', cloud: 'azure', account, region: UNKNOWN_REGION }, kind: watched.kind };
  const scope: Scope =
    watched.build === 'vnet'
      ? { kind: 'network', network: { cloud: 'azure', account, region: UNKNOWN_REGION, id } }
      : { kind: 'route-table', cloud: 'azure', account, region: UNKNOWN_REGION, routeTableId: id };
  return { scope, kind: watched.kind };
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A subscription was vended through `Microsoft.Subscription/aliases`. Event Grid's resource events carry no
 * response body: `resourceUri` names the alias (`/providers/Microsoft.Subscription/aliases/{name}`), not the
 * subscription it created, and `data.subscriptionId` is the subscription whose topic raised the event. So the new
 * subscription id is used only when a forwarder attached the alias response (`properties.subscriptionId`, as the
 * Aliases API returns it, also inside an activity-log `responseBody`); otherwise the whole estate is swept, which
 * finds the new subscription by listing — the sweep is the only place that can.
 */
function vendingScope(data: ResourceEventData): OperationOutcome {
  const fromAlias = [
    data['properties'],
    asRecord(data['response'])?.['properties'],
    responseBodyProperties(data['responseBody']),
  ]
    .map((properties) => asRecord(properties)?.['subscriptionId'])
    .find((value): value is string => typeof value === 'string' && SUBSCRIPTION_ID.test(value));
  const scope: Scope = fromAlias
    ? { kind: 'account', cloud: 'azure', account: fromAlias.toLowerCase() }
    : { kind: 'estate' };
  return { scope, kind: 'vending' };
}

/**
 * A subscription was moved into a management group (`managementGroups/{mg}/subscriptions/{id}` write) or out of one
 * (delete: it returns to the root group). It may have joined or left a governed group: re-read that subscription.
 */
function managementGroupMoveScope(operationName: string, resourceId: string | undefined): OperationOutcome {
  const m = /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+\/subscriptions\/([^/]+)$/i.exec(
    resourceId ?? '',
  );
  if (!m || !SUBSCRIPTION_ID.test(m[1]!)) {
    throw new MalformedEventError(
      `Azure ${operationName} event names resource "${resourceId ?? '(none)'}"; expected ` +
        '/providers/Microsoft.Management/managementGroups/{group}/subscriptions/{subscriptionId}',
    );
  }
  return { scope: { kind: 'account', cloud: 'azure', account: m[1]!.toLowerCase() }, kind: 'vending' };
}

/** Activity-log records carry the ARM response as a JSON string. */
function responseBodyProperties(body: unknown): unknown {
  if (typeof body !== 'string') return asRecord(body)?.['properties'];
  try {
    return asRecord(JSON.parse(body))?.['properties'];
  } catch {
    return undefined;
  }
}

function unreadable(operationName: string, resourceId: string | undefined): MalformedEventError {
  return new MalformedEventError(
    `Azure ${operationName} event names resource "${resourceId ?? '(none)'}", ` +
      'which is not an ARM id of the resource the operation acts on; expected data.resourceUri like ' +
      '/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/...',
  );
}
