import type { PermissionTable } from '../port';

const WAIT = 'compute.globalOperations.get';

/**
 * IAM permissions each adapter operation needs (DESIGN §2 rule 6). infra/gcp builds the custom role
 * from these. subnetworks.aggregatedList checks compute.subnetworks.list; routes.insert also checks
 * compute.networks.updatePolicy on the network; operations.wait checks compute.globalOperations.get.
 */
export const GCP_PERMISSIONS = {
  observe: ['compute.networks.list', 'compute.subnetworks.list', 'compute.routes.list', 'resourcemanager.projects.get'],
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
} as const satisfies PermissionTable;

/** Every permission the adapter may use, sorted and unique (the deployment role). */
export function allGcpPermissions(): string[] {
  return [...new Set(Object.values(GCP_PERMISSIONS).flat())].sort();
}
