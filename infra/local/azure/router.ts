import type { Handler } from './exchange';
import { listDescendants, putAlias, putManagementGroupSubscription } from './managementGroupHandlers';
import {
  getOperation,
  getOperationResult,
  getResourceGroup,
  getSubscription,
  listSubscriptions,
  putResourceGroup,
} from './resourceHandlers';
import {
  deleteRoute,
  deleteRouteTable,
  getRoute,
  getRouteTable,
  listRoutes,
  listRouteTables,
  putRoute,
  putRouteTable,
} from './routeHandlers';
import {
  deletePeering,
  deleteVnet,
  getPeering,
  getVnet,
  listPeerings,
  listVnets,
  putPeering,
  putVnet,
} from './vnetHandlers';
import {
  deleteHubConnection,
  getHubConnection,
  getHubRouteTable,
  getVirtualHub,
  getVirtualWan,
  listHubConnections,
  listHubRouteTables,
  listVirtualHubs,
  putHubConnection,
  putHubRouteTable,
} from './wanHandlers';

interface RouteEntry {
  method: string;
  segments: string[];
  /** The RBAC action the call needs; the call counter and faults name calls by it. */
  operation: string;
  handler: Handler;
}

const RG = 'subscriptions/:s/resourcegroups/:rg';
const NET = `${RG}/providers/microsoft.network`;
const VNET = `${NET}/virtualnetworks/:v`;
const TABLE = `${NET}/routetables/:t`;
const N = 'Microsoft.Network';
const HUB = `${NET}/virtualhubs/:h`;
const HUB_TABLES = `${N}/virtualHubs/hubRouteTables`;
const HUB_CONNECTIONS = `${N}/virtualHubs/hubVirtualNetworkConnections`;

const table: [string, string, string, Handler][] = [
  ['GET', 'subscriptions', 'Microsoft.Resources/subscriptions/read', listSubscriptions],
  ['GET', 'subscriptions/:s', 'Microsoft.Resources/subscriptions/read', getSubscription],
  [
    'GET',
    'providers/microsoft.management/managementgroups/:mg/descendants',
    'Microsoft.Management/managementGroups/descendants/read',
    listDescendants,
  ],
  [
    'PUT',
    'providers/microsoft.management/managementgroups/:mg/subscriptions/:s',
    'Microsoft.Management/managementGroups/subscriptions/write',
    putManagementGroupSubscription,
  ],
  ['PUT', 'providers/microsoft.subscription/aliases/:alias', 'Microsoft.Subscription/aliases/write', putAlias],
  ['GET', RG, 'Microsoft.Resources/subscriptions/resourceGroups/read', getResourceGroup],
  ['PUT', RG, 'Microsoft.Resources/subscriptions/resourceGroups/write', putResourceGroup],
  ['GET', 'subscriptions/:s/providers/microsoft.network/virtualnetworks', `${N}/virtualNetworks/read`, listVnets],
  ['GET', `${NET}/virtualnetworks`, `${N}/virtualNetworks/read`, listVnets],
  ['GET', VNET, `${N}/virtualNetworks/read`, getVnet],
  ['PUT', VNET, `${N}/virtualNetworks/write`, putVnet],
  ['DELETE', VNET, `${N}/virtualNetworks/delete`, deleteVnet],
  ['GET', `${VNET}/virtualnetworkpeerings`, `${N}/virtualNetworks/virtualNetworkPeerings/read`, listPeerings],
  ['GET', `${VNET}/virtualnetworkpeerings/:p`, `${N}/virtualNetworks/virtualNetworkPeerings/read`, getPeering],
  ['PUT', `${VNET}/virtualnetworkpeerings/:p`, `${N}/virtualNetworks/virtualNetworkPeerings/write`, putPeering],
  ['DELETE', `${VNET}/virtualnetworkpeerings/:p`, `${N}/virtualNetworks/virtualNetworkPeerings/delete`, deletePeering],
  ['GET', 'subscriptions/:s/providers/microsoft.network/routetables', `${N}/routeTables/read`, listRouteTables],
  ['GET', `${NET}/routetables`, `${N}/routeTables/read`, listRouteTables],
  ['GET', TABLE, `${N}/routeTables/read`, getRouteTable],
  ['PUT', TABLE, `${N}/routeTables/write`, putRouteTable],
  ['DELETE', TABLE, `${N}/routeTables/delete`, deleteRouteTable],
  ['GET', `${TABLE}/routes`, `${N}/routeTables/routes/read`, listRoutes],
  ['GET', `${TABLE}/routes/:r`, `${N}/routeTables/routes/read`, getRoute],
  ['PUT', `${TABLE}/routes/:r`, `${N}/routeTables/routes/write`, putRoute],
  ['DELETE', `${TABLE}/routes/:r`, `${N}/routeTables/routes/delete`, deleteRoute],
  ['GET', `${NET}/virtualwans/:w`, `${N}/virtualWans/read`, getVirtualWan],
  ['GET', 'subscriptions/:s/providers/microsoft.network/virtualhubs', `${N}/virtualHubs/read`, listVirtualHubs],
  ['GET', `${NET}/virtualhubs`, `${N}/virtualHubs/read`, listVirtualHubs],
  ['GET', HUB, `${N}/virtualHubs/read`, getVirtualHub],
  ['GET', `${HUB}/hubroutetables`, `${HUB_TABLES}/read`, listHubRouteTables],
  ['GET', `${HUB}/hubroutetables/:t`, `${HUB_TABLES}/read`, getHubRouteTable],
  ['PUT', `${HUB}/hubroutetables/:t`, `${HUB_TABLES}/write`, putHubRouteTable],
  ['GET', `${HUB}/hubvirtualnetworkconnections`, `${HUB_CONNECTIONS}/read`, listHubConnections],
  ['GET', `${HUB}/hubvirtualnetworkconnections/:c`, `${HUB_CONNECTIONS}/read`, getHubConnection],
  ['PUT', `${HUB}/hubvirtualnetworkconnections/:c`, `${HUB_CONNECTIONS}/write`, putHubConnection],
  ['DELETE', `${HUB}/hubvirtualnetworkconnections/:c`, `${HUB_CONNECTIONS}/delete`, deleteHubConnection],
  [
    'GET',
    'subscriptions/:s/providers/microsoft.network/locations/:loc/operations/:id',
    `${N}/locations/operations/read`,
    getOperation,
  ],
  [
    'GET',
    'subscriptions/:s/providers/microsoft.network/locations/:loc/operationresults/:id',
    `${N}/locations/operationResults/read`,
    getOperationResult,
  ],
];

const ROUTES: RouteEntry[] = table.map(([method, pattern, operation, handler]) => ({
  method,
  segments: pattern.split('/'),
  operation,
  handler,
}));

/** Finds the handler for a request; literal path segments compare case-insensitively, as ARM does. */
export function matchRoute(
  method: string,
  path: string,
): { entry: RouteEntry; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  for (const entry of ROUTES) {
    if (entry.method !== method.toUpperCase() || entry.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = entry.segments.every((segment, i) => {
      const part = parts[i]!;
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(part);
        return true;
      }
      return segment === part.toLowerCase();
    });
    if (ok) return { entry, params };
  }
  return undefined;
}
