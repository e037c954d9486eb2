import type { AwsEmulator } from './aws';
import type { AzureEmulator } from './azure';
import type { GcpEmulator } from './gcp';

/**
 * The local organizations the local policy selects by structure (infra/local/policy.yaml): AWS OU Workloads › Prod,
 * Azure management groups corp › corp-online, GCP folders Apps › Prod. They start empty; accounts, subscriptions
 * and projects are vended into them (npm start's scenario, or a person with the CLI).
 */
export const LOCAL_ORGANIZATION = {
  aws: { workloads: 'Workloads', prod: 'Workloads/Prod' },
  azure: { corp: 'corp', online: 'corp-online' },
  gcp: { apps: '300000000001', appsProd: '300000000002' },
} as const;

/** Creates the containers in the emulators (no events: they were always there). */
export function seedLocalOrganization(aws: AwsEmulator, azure: AzureEmulator, gcp: GcpEmulator): void {
  const org = aws.organization;
  org.createOrganizationalUnit(org.createOrganizationalUnit(org.rootId, LOCAL_ORGANIZATION.aws.workloads).id, 'Prod');
  azure.state.createManagementGroup(LOCAL_ORGANIZATION.azure.corp, { displayName: 'Corp' });
  azure.state.createManagementGroup(LOCAL_ORGANIZATION.azure.online, {
    displayName: 'Corp online',
    parent: LOCAL_ORGANIZATION.azure.corp,
  });
  gcp.state.createFolder('Apps', 'organizations/1', LOCAL_ORGANIZATION.gcp.apps);
  gcp.state.createFolder('Prod', `folders/${LOCAL_ORGANIZATION.gcp.apps}`, LOCAL_ORGANIZATION.gcp.appsProd);
}
