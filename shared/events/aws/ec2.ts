import { MalformedEventError } from '../../errors';
import type { Scope } from '../../model';
import { asRecord, findStringByKey } from '../shape';
import type { CallSite, CloudTrailRecord, Ec2Work } from './envelope';
import { scopeForTransitCall, TRANSIT_CALLS } from './transit';

const PEERING_CALLS = new Set([
  'CreateVpcPeeringConnection',
  'AcceptVpcPeeringConnection',
  'RejectVpcPeeringConnection',
  'DeleteVpcPeeringConnection',
  'ModifyVpcPeeringConnectionOptions',
]);
const ROUTE_TABLE_CALLS = new Set([
  'CreateRoute',
  'DeleteRoute',
  'ReplaceRoute',
  'AssociateRouteTable',
  'ReplaceRouteTableAssociation',
]);
const CIDR_CALLS = new Set(['AssociateVpcCidrBlock', 'DisassociateVpcCidrBlock']);
const TAG_CALLS = new Set(['CreateTags', 'DeleteTags']);

/** The EC2 API calls that produce work; everything else (Describe*, RunInstances, …) is ignored. */
export const WATCHED_EC2_CALLS: readonly string[] = [
  ...PEERING_CALLS,
  ...ROUTE_TABLE_CALLS,
  ...CIDR_CALLS,
  ...TAG_CALLS,
  'CreateVpc',
  'DeleteVpc',
  'DisassociateRouteTable',
  ...TRANSIT_CALLS,
];

/** Maps one successful EC2 CloudTrail call to the scope it names, or to the reason it needs no work (a string). */
export function scopeForEc2Call(record: CloudTrailRecord, site: CallSite): Ec2Work | string {
  const name = record.eventName;
  const request = record.requestParameters;
  const response = record.responseElements;
  const accountScope: Scope = { kind: 'account', cloud: 'aws', account: site.account, region: site.region };
  const network = (vpcId: string): Scope => ({
    kind: 'network',
    network: { cloud: 'aws', account: site.account, region: site.region, id: vpcId },
  });

  if (PEERING_CALLS.has(name)) {
    // Create carries the new id only in the response; the others name it in the request.
    const peeringId =
      findStringByKey(request, 'vpcPeeringConnectionId') ?? findStringByKey(response, 'vpcPeeringConnectionId');
    if (!peeringId) throw missing(name, 'vpcPeeringConnectionId');
    return {
      kind: 'peering',
      scope: { kind: 'peering', cloud: 'aws', account: site.account, region: site.region, peeringId },
    };
  }
  if (ROUTE_TABLE_CALLS.has(name)) {
    const routeTableId = findStringByKey(request, 'routeTableId') ?? findStringByKey(response, 'routeTableId');
    if (!routeTableId) throw missing(name, 'routeTableId');
    return {
      kind: 'route',
      scope: { kind: 'route-table', cloud: 'aws', account: site.account, region: site.region, routeTableId },
    };
  }
  if (name === 'DisassociateRouteTable') {
    // The request names only the association id (rtbassoc-…), not the table: re-check the region.
    return { kind: 'route', scope: accountScope };
  }
  if (name === 'CreateVpc') {
    const vpcId = findStringByKey(response, 'vpcId');
    if (!vpcId) throw missing(name, 'responseElements.vpc.vpcId');
    return { kind: 'network', scope: network(vpcId) };
  }
  if (name === 'DeleteVpc') {
    // The VPC is gone; what matters is the peerings and routes elsewhere in the account that pointed at it.
    return { kind: 'network', scope: accountScope };
  }
  if (CIDR_CALLS.has(name)) {
    // Disassociate's request holds only the association id; its response names the VPC. Without either, re-check the region.
    const vpcId = findStringByKey(request, 'vpcId') ?? findStringByKey(response, 'vpcId');
    return { kind: 'network', scope: vpcId ? network(vpcId) : accountScope };
  }
  if (TAG_CALLS.has(name)) return tagWork(name, request, network, accountScope);
  if (TRANSIT_CALLS.has(name)) return scopeForTransitCall(record, site);
  return `peerkeeper does not watch ec2:${name}`;
}

/** Tag changes matter only on VPCs (policy groups select networks by tag); one VPC → that network, several → the region. */
function tagWork(
  name: string,
  request: unknown,
  network: (vpcId: string) => Scope,
  accountScope: Scope,
): Ec2Work | string {
  const items = asRecord(asRecord(request)?.['resourcesSet'])?.['items'];
  if (!Array.isArray(items)) throw missing(name, 'requestParameters.resourcesSet.items');
  const vpcIds = new Set<string>();
  for (const item of items) {
    const resourceId = asRecord(item)?.['resourceId'];
    if (typeof resourceId === 'string' && resourceId.startsWith('vpc-')) vpcIds.add(resourceId);
  }
  if (vpcIds.size === 0) return `${name} touched no VPC`;
  const [only] = vpcIds;
  return { kind: 'network', scope: vpcIds.size === 1 && only ? network(only) : accountScope };
}

function missing(eventName: string, field: string): MalformedEventError {
  return new MalformedEventError(`AWS ${eventName} event has no ${field}; is this a complete CloudTrail record?`);
}
