import { organizationSelection } from '../../policy/organization';
import type { Policy } from '../../policy/schema';
import { OrganizationDirectory } from '../organization-directory';
import type { Partition } from '../port';
import { AwsOrganizationSource } from './organization';

/** A policy's AWS organization discovery: the directory and the source behind it (to close its client). */
export interface AwsDiscovery {
  directory: OrganizationDirectory;
  source: AwsOrganizationSource;
}

/**
 * The discovery a policy's `organizationalUnit` groups need, or undefined when no AWS group selects by OU (then
 * nothing calls Organizations). The endpoint comes from AWS_ENDPOINT_URL_ORGANIZATIONS / AWS_ENDPOINT_URL.
 * Imports no EC2 code: the sweep's fan-out uses it too.
 */
export function awsDiscoveryFor(
  policy: Policy,
  env: NodeJS.ProcessEnv = process.env,
  onCommand?: (command: string) => void,
): AwsDiscovery | undefined {
  const selection = organizationSelection(policy, 'aws');
  if (selection.ids.length + selection.paths.length === 0) return undefined;
  const aws = policy.providers.aws;
  const endpoint = env.AWS_ENDPOINT_URL_ORGANIZATIONS ?? env.AWS_ENDPOINT_URL;
  const source = new AwsOrganizationSource(selection, {
    ...(aws?.organizationRole ? { roleArn: aws.organizationRole } : {}),
    ...(aws?.externalId ? { externalId: aws.externalId } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(onCommand ? { onCommand } : {}),
  });
  return { source, directory: new OrganizationDirectory('aws', source, (a) => source.selected(a.ancestors)) };
}

/** Every governed account the OUs hold, as account partitions (the sweep fans out one work item per account and region). */
export async function discoveredAwsPartitions(discovery: AwsDiscovery): Promise<Partition[]> {
  await discovery.directory.refresh();
  return discovery.directory.governed().map((a) => ({ cloud: 'aws', account: a.account }));
}
