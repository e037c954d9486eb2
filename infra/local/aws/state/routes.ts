import { parseRange, sameCidr } from '../../ranges';
import type { AwsEmulatorState } from './state';
import { Ec2Error, type Caller, type RouteRecord, type RouteTableRecord, type RouteTargetFields } from './types';

/** What CreateRoute / ReplaceRoute / DeleteRoute name: a table, one destination, and (except delete) one target. */
export interface RouteInput {
  routeTableId: string;
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  target: RouteTargetFields;
}

const TARGET_FIELDS: readonly (keyof RouteTargetFields)[] = [
  'gatewayId',
  'natGatewayId',
  'transitGatewayId',
  'vpcPeeringConnectionId',
  'networkInterfaceId',
  'instanceId',
  'egressOnlyInternetGatewayId',
  'vpcEndpointId',
  'carrierGatewayId',
  'localGatewayId',
  'coreNetworkArn',
];

function destinationOf(input: RouteInput): { destination: string; ipv6: boolean } {
  const v4 = input.destinationCidrBlock;
  const v6 = input.destinationIpv6CidrBlock;
  if ((v4 === undefined) === (v6 === undefined)) {
    throw new Ec2Error(
      'InvalidParameterCombination',
      'The request must contain exactly one of the parameters destinationCidrBlock or destinationIpv6CidrBlock',
    );
  }
  const destination = (v4 ?? v6)!;
  const range = parseRange(destination);
  if (!range || range.v6 !== (v6 !== undefined)) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value (${destination}) for parameter ${v6 ? 'destinationIpv6CidrBlock' : 'destinationCidrBlock'} is invalid.`,
    );
  }
  return { destination, ipv6: range.v6 };
}

function targetOf(
  state: AwsEmulatorState,
  caller: Caller,
  table: RouteTableRecord,
  fields: RouteTargetFields,
): RouteTargetFields {
  const named = TARGET_FIELDS.filter((f) => fields[f] !== undefined);
  if (named.length === 0)
    throw new Ec2Error(
      'MissingParameter',
      'The request must contain a route target (gatewayId, vpcPeeringConnectionId, …)',
    );
  if (named.length > 1)
    throw new Ec2Error('InvalidParameterCombination', `Only one route target may be given, not ${named.join(', ')}`);
  const pcx = fields.vpcPeeringConnectionId;
  if (pcx !== undefined) {
    const peering = state.visiblePeering(caller, pcx);
    if (!['pending-acceptance', 'provisioning', 'active'].includes(peering.status)) {
      throw new Ec2Error(
        'InvalidVpcPeeringConnectionID.NotFound',
        `The vpcPeeringConnection ID '${pcx}' does not exist`,
      );
    }
    if (peering.requester.vpcId !== table.vpcId && peering.accepter.vpcId !== table.vpcId) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `route table ${table.id} and network gateway ${pcx} belong to different networks`,
      );
    }
  }
  const field = named[0]!;
  // EC2's Route has no vpcEndpointId member: a route created with VpcEndpointId (a Gateway Load Balancer
  // endpoint) is described with the endpoint in gatewayId, as gateway-endpoint routes are.
  if (field === 'vpcEndpointId') return { gatewayId: fields.vpcEndpointId };
  return { [field]: fields[field] };
}

function find(table: RouteTableRecord, destination: string): RouteRecord | undefined {
  return table.routes.find((r) => !r.prefixList && sameCidr(r.destination, destination));
}

/** CreateRoute: one route per destination (RouteAlreadyExists), at most `routesPerTable` (RouteLimitExceeded). */
export function createRoute(state: AwsEmulatorState, caller: Caller, input: RouteInput): void {
  state.refresh();
  const table = state.ownTable(caller, input.routeTableId);
  const { destination, ipv6 } = destinationOf(input);
  const target = targetOf(state, caller, table, input.target);
  if (find(table, destination)) {
    throw new Ec2Error('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
  const counted = table.routes.filter((r) => r.origin !== 'CreateRouteTable').length;
  if (counted >= state.quotas.routesPerTable) {
    throw new Ec2Error(
      'RouteLimitExceeded',
      `The maximum number of routes (${state.quotas.routesPerTable}) has been reached for route table ${table.id}.`,
    );
  }
  table.routes.push({ destination, ipv6, origin: 'CreateRoute', ...target });
}

/** ReplaceRoute: the route must exist and must not be the VPC's local route. */
export function replaceRoute(state: AwsEmulatorState, caller: Caller, input: RouteInput): void {
  state.refresh();
  const table = state.ownTable(caller, input.routeTableId);
  const { destination, ipv6 } = destinationOf(input);
  const target = targetOf(state, caller, table, input.target);
  const existing = find(table, destination);
  if (!existing) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `There is no route defined for '${destination}' in the route table. Please use AddRoute instead.`,
    );
  }
  if (existing.origin === 'CreateRouteTable') {
    throw new Ec2Error('InvalidParameterValue', `cannot replace local route ${destination} in route table ${table.id}`);
  }
  table.routes[table.routes.indexOf(existing)] = { destination, ipv6, origin: 'CreateRoute', ...target };
}

/** DeleteRoute: InvalidRoute.NotFound when absent; the local route cannot be removed. */
export function deleteRoute(state: AwsEmulatorState, caller: Caller, input: Omit<RouteInput, 'target'>): void {
  state.refresh();
  const table = state.ownTable(caller, input.routeTableId);
  const { destination } = destinationOf({ ...input, target: {} });
  const existing = find(table, destination);
  if (!existing) {
    const field = input.destinationIpv6CidrBlock ? 'destination-ipv6-cidr-block' : 'destination-cidr-block';
    throw new Ec2Error('InvalidRoute.NotFound', `no route with ${field} ${destination} in route table ${table.id}`);
  }
  if (existing.origin === 'CreateRouteTable') {
    throw new Ec2Error('InvalidParameterValue', `cannot remove local route ${destination} in route table ${table.id}`);
  }
  table.routes.splice(table.routes.indexOf(existing), 1);
}
