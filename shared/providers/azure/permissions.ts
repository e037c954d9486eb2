import type { ActionKind } from '../../model';
import type { PermissionTable } from '../port';

const READ_VNET = 'Microsoft.Network/virtualNetworks/read';
const READ_PEERING = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read';
const WRITE_PEERING = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write';
const DELETE_PEERING = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete';
/** Needed on the *remote* VNet to create, update or sync a half that points at it. */
const PEER = 'Microsoft.Network/virtualNetworks/peer/action';
const READ_TABLE = 'Microsoft.Network/routeTables/read';
const WRITE_ROUTE = 'Microsoft.Network/routeTables/routes/write';
const DELETE_ROUTE = 'Microsoft.Network/routeTables/routes/delete';
const READ_HUB = 'Microsoft.Network/virtualHubs/read';
const READ_HUB_TABLE = 'Microsoft.Network/virtualHubs/hubRouteTables/read';
const READ_CONNECTION = 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read';
const WRITE_CONNECTION = 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write';
const DELETE_CONNECTION = 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete';
/**
 * What ARM checks, besides the write itself, when a hub connection is written (Virtual WAN "roles and permissions"):
 * `peer/action` on the remote VNet, read on the hub route tables and route maps the connection references.
 */
const CONNECTION_LINKED = [PEER, READ_HUB_TABLE, 'Microsoft.Network/virtualHubs/routeMaps/read'];
/** Polling `Azure-AsyncOperation` / `Location` of network writes. */
const READ_OPERATIONS = [
  'Microsoft.Network/locations/operations/read',
  'Microsoft.Network/locations/operationResults/read',
];

/**
 * The Azure RBAC actions each adapter operation needs (DESIGN §2 rule 6). The deployment's custom role
 * is built from the union; a test checks that every call the adapter makes to the emulator is declared.
 * No wildcard on a mutating action.
 */
export const AZURE_PERMISSIONS = {
  observe: ['Microsoft.Resources/subscriptions/read', READ_VNET, READ_PEERING, READ_TABLE],
  /**
   * Virtual WAN hubs, their route tables and connections, in the subscriptions that own a declared hub; and each
   * connected VNet outside the read (its ranges are what the hub learns).
   */
  'observe-transit': [READ_HUB, READ_HUB_TABLE, READ_CONNECTION, READ_VNET],
  /** Descendants of each selected management group (nested groups included), and every subscription's state. */
  discover: ['Microsoft.Management/managementGroups/descendants/read', 'Microsoft.Resources/subscriptions/read'],
  'create-peering': [READ_VNET, WRITE_PEERING, PEER, ...READ_OPERATIONS],
  'accept-peering': [READ_VNET, WRITE_PEERING, PEER, ...READ_OPERATIONS],
  'reject-peering': [READ_VNET, DELETE_PEERING, ...READ_OPERATIONS],
  'delete-peering': [READ_VNET, DELETE_PEERING, ...READ_OPERATIONS],
  'update-peering': [READ_VNET, WRITE_PEERING, PEER, ...READ_OPERATIONS],
  'create-route': [READ_TABLE, WRITE_ROUTE, ...READ_OPERATIONS],
  'replace-route': [READ_TABLE, WRITE_ROUTE, ...READ_OPERATIONS],
  'delete-route': [READ_TABLE, DELETE_ROUTE, ...READ_OPERATIONS],
  'create-attachment': [READ_CONNECTION, WRITE_CONNECTION, ...CONNECTION_LINKED, ...READ_OPERATIONS],
  /** Azure has no attachment requests: accept and reject make no call. */
  'accept-attachment': [],
  'reject-attachment': [],
  'update-attachment': [READ_CONNECTION, WRITE_CONNECTION, ...CONNECTION_LINKED, ...READ_OPERATIONS],
  'delete-attachment': [READ_CONNECTION, DELETE_CONNECTION, ...READ_OPERATIONS],
} as const satisfies PermissionTable & Partial<Record<ActionKind, readonly string[]>>;

/** Every action any operation needs, sorted and de-duplicated: the custom role definition's `actions`. */
export function azureRoleActions(): string[] {
  return [...new Set(Object.values(AZURE_PERMISSIONS).flat())].sort();
}
