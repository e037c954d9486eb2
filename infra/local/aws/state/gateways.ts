import type { AwsEmulatorState } from './state';
import { Ec2Error, type GatewayKind, type GatewayRecord, type RouteRecord, type Tags } from './types';

/** EC2's id prefix per gateway kind. */
const PREFIX: Record<GatewayKind, string> = {
  internet: 'igw',
  nat: 'nat',
  transit: 'tgw',
  vpn: 'vgw',
  'egress-only': 'eigw',
  endpoint: 'vpce',
  carrier: 'cagw',
};

/** The state a gateway is in once created, as each Describe* call spells it. */
const READY: Record<GatewayKind, string> = {
  internet: 'available',
  nat: 'available',
  transit: 'available',
  vpn: 'available',
  'egress-only': 'attached',
  endpoint: 'available',
  carrier: 'available',
};

/**
 * AWS-managed prefix lists of the gateway-endpoint services, per region (the ids `aws ec2
 * describe-prefix-lists` shows in us-east-1). Other regions get a generated `pl-…` id.
 */
const MANAGED_PREFIX_LISTS: Record<string, string> = {
  'com.amazonaws.us-east-1.s3': 'pl-63a5400a',
  'com.amazonaws.us-east-1.dynamodb': 'pl-02cd2c6b',
};

/** Which route-target field routes to a gateway of each kind. */
export const TARGET_FIELD: Record<
  GatewayKind,
  keyof Pick<
    RouteRecord,
    'gatewayId' | 'natGatewayId' | 'transitGatewayId' | 'egressOnlyInternetGatewayId' | 'carrierGatewayId'
  >
> = {
  internet: 'gatewayId',
  nat: 'natGatewayId',
  transit: 'transitGatewayId',
  vpn: 'gatewayId',
  'egress-only': 'egressOnlyInternetGatewayId',
  endpoint: 'gatewayId',
  carrier: 'carrierGatewayId',
};

export interface GatewayInput {
  kind: GatewayKind;
  account: string;
  region: string;
  vpcId?: string;
  tags?: Tags;
  /** Gateway endpoints: `s3` or `dynamodb` (or a full service name), and the route tables it adds its prefix-list route to. */
  service?: string;
  routeTableIds?: string[];
}

/**
 * Seeds a gateway. A gateway endpoint (S3/DynamoDB) adds, to each of its route tables, the route EC2 adds:
 * destination its service's prefix list (`pl-…`), target the endpoint (`vpce-…`), origin CreateRoute.
 */
export function createGateway(state: AwsEmulatorState, input: GatewayInput): GatewayRecord {
  if (input.vpcId) {
    const vpc = state.vpc(input.vpcId);
    if (vpc.account !== input.account || vpc.region !== input.region)
      throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${input.vpcId}' does not exist`);
  }
  const gateway: GatewayRecord = {
    id: state.newId(PREFIX[input.kind]),
    kind: input.kind,
    account: input.account,
    region: input.region,
    ...(input.vpcId ? { vpcId: input.vpcId } : {}),
    state: READY[input.kind],
    tags: { ...(input.tags ?? {}) },
    createdAt: state.now().getTime(),
  };
  if (input.kind === 'endpoint') {
    if (!input.vpcId || !input.service)
      throw new Ec2Error('MissingParameter', 'A gateway endpoint needs a VPC and a service name');
    const serviceName = input.service.includes('.') ? input.service : `com.amazonaws.${input.region}.${input.service}`;
    const prefixListId = MANAGED_PREFIX_LISTS[serviceName] ?? state.newId('pl').slice(0, 11);
    Object.assign(gateway, { serviceName, prefixListId, routeTableIds: [...(input.routeTableIds ?? [])] });
    for (const tableId of input.routeTableIds ?? []) {
      const table = state.table(tableId);
      if (table.vpcId !== input.vpcId)
        throw new Ec2Error('InvalidRouteTableId.Malformed', `route table ${tableId} is not in ${input.vpcId}`);
      table.routes.push({
        destination: prefixListId,
        ipv6: false,
        prefixList: true,
        origin: 'CreateRoute',
        gatewayId: gateway.id,
      });
    }
  }
  state.gateways.set(gateway.id, gateway);
  return gateway;
}

/**
 * Deletes a gateway: routes to a deleted NAT, transit or internet gateway stay and turn `blackhole` (as on
 * EC2); a gateway endpoint takes its prefix-list routes with it.
 */
export function deleteGateway(state: AwsEmulatorState, id: string): void {
  const gateway = state.gateways.get(id);
  if (!gateway) throw new Ec2Error('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);
  gateway.state = 'deleted';
  if (gateway.kind !== 'endpoint') return;
  for (const tableId of gateway.routeTableIds ?? []) {
    const table = state.routeTables.get(tableId);
    if (table) table.routes = table.routes.filter((r) => r.gatewayId !== id);
  }
}

/** The gateway a route points at, when the emulator knows it. */
export function gatewayOf(state: AwsEmulatorState, route: RouteRecord): GatewayRecord | undefined {
  const id =
    route.natGatewayId ??
    route.transitGatewayId ??
    route.egressOnlyInternetGatewayId ??
    route.carrierGatewayId ??
    route.gatewayId;
  return id === undefined ? undefined : state.gateways.get(id);
}
