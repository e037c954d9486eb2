import type { PermissionTable } from '../port';

const WAIT = 'compute.globalOperations.get';
const NCC_WAIT = 'networkconnectivity.operations.get';
/** NCC names projects by number: each number met is looked up once (projects.get) to the project id. */
const PROJECT_ID = 'resourcemanager.projects.get';

/**
 * IAM permissions each adapter operation needs (DESIGN §2 rule 6). infra/gcp builds the custom role
 * from these. subnetworks.aggregatedList checks compute.subnetworks.list; routes.insert also checks
 * compute.networks.updatePolicy on the network; operations.wait checks compute.globalOperations.get.
 */
export const GCP_PERMISSIONS = {
  observe: [
    'compute.networks.list',
    'compute.subnetworks.list',
    'compute.routes.list',
    'resourcemanager.projects.get',
    // Network Connectivity Center: hubs, their groups, route table routes and spokes; the project's own spokes.
    'networkconnectivity.hubs.list',
    'networkconnectivity.hubs.listSpokes',
    'networkconnectivity.groups.list',
    'networkconnectivity.hubRoutes.list',
    'networkconnectivity.spokes.list',
  ],
  /** Resource Manager v3: folders?parent= and folders.get walk nested folders; projects?parent= and projects.get find projects. */
  partitions: [
    'resourcemanager.folders.get',
    'resourcemanager.folders.list',
    'resourcemanager.projects.get',
    'resourcemanager.projects.list',
  ],
  'create-peering': ['compute.networks.get', 'compute.networks.addPeering', WAIT],
  'accept-peering': ['compute.networks.get', 'compute.networks.addPeering', WAIT],
  'reject-peering': [],
  'delete-peering': ['compute.networks.get', 'compute.networks.removePeering', WAIT],
  'update-peering': ['compute.networks.get', 'compute.networks.updatePeering', WAIT],
  'create-route': [
    'compute.networks.get',
    'compute.routes.list',
    'compute.routes.create',
    'compute.networks.updatePolicy',
    WAIT,
  ],
  'replace-route': [
    'compute.networks.get',
    'compute.routes.list',
    'compute.routes.create',
    'compute.routes.delete',
    'compute.networks.updatePolicy',
    WAIT,
  ],
  'delete-route': ['compute.routes.list', 'compute.routes.delete', WAIT],
  /**
   * NCC spokes: created in the network's project, joining the hub's group (groups.use); accepted or rejected into the
   * group by the hub's owner (the IAM reference lists groups.acceptSpoke / groups.rejectSpoke, not hubs.*).
   */
  'create-attachment': [
    PROJECT_ID,
    'networkconnectivity.spokes.list',
    'networkconnectivity.spokes.create',
    'networkconnectivity.groups.use',
    NCC_WAIT,
  ],
  'accept-attachment': [
    PROJECT_ID,
    'networkconnectivity.hubs.listSpokes',
    'networkconnectivity.groups.acceptSpoke',
    // An accepted spoke becomes ours: its labels and declared group are set first (in the spoke's project).
    'networkconnectivity.spokes.update',
    NCC_WAIT,
  ],
  'reject-attachment': [
    PROJECT_ID,
    'networkconnectivity.hubs.listSpokes',
    'networkconnectivity.groups.rejectSpoke',
    NCC_WAIT,
  ],
  'update-attachment': [
    PROJECT_ID,
    'networkconnectivity.spokes.list',
    'networkconnectivity.spokes.get',
    'networkconnectivity.spokes.update',
    'networkconnectivity.groups.use',
    NCC_WAIT,
  ],
  'delete-attachment': [
    PROJECT_ID,
    'networkconnectivity.spokes.list',
    'networkconnectivity.spokes.get',
    'networkconnectivity.spokes.delete',
    NCC_WAIT,
  ],
  /** readAutoAccept / writeAutoAccept (no plan action uses them yet). */
  'group-auto-accept': ['networkconnectivity.groups.get', 'networkconnectivity.groups.update', NCC_WAIT],
} as const satisfies PermissionTable;

/** Every permission the adapter may use, sorted and unique (the deployment role). */
export function allGcpPermissions(): string[] {
  return [...new Set(Object.values(GCP_PERMISSIONS).flat())].sort();
}
