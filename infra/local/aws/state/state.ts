import { parseRange } from '../../ranges';
import { createGateway, gatewayOf, type GatewayInput } from './gateways';
import { TransitStore } from './transit';
import {
  DEFAULT_QUOTAS,
  Ec2Error,
  type Caller,
  type GatewayRecord,
  type PeeringRecord,
  type Quotas,
  type RouteRecord,
  type RouteTableRecord,
  type RouteTargetFields,
  type Tags,
  type VpcRecord,
} from './types';

/** A peering request is pending for at most 7 days, then `expired` (AWS VPC peering lifecycle). */
export const PEERING_REQUEST_TTL_MS = 7 * 24 * 3600 * 1000;

/** What STS checks when a role is assumed: the role must exist in the account, with this ExternalId if set. */
export interface RoleRecord {
  roleName: string;
  externalId?: string;
}

/**
 * The emulator's whole estate: VPCs, route tables and peerings of many accounts and regions, plus a
 * settable clock (expiry runs on it). Seeding helpers work without HTTP.
 */
export class AwsEmulatorState {
  readonly vpcs = new Map<string, VpcRecord>();
  readonly routeTables = new Map<string, RouteTableRecord>();
  readonly peerings = new Map<string, PeeringRecord>();
  /** Internet, NAT, transit, VPN, egress-only and carrier gateways and gateway endpoints, by id. */
  readonly gateways = new Map<string, GatewayRecord>();
  /** When empty, any role name in any account may be assumed; otherwise only the listed ones. */
  readonly roles = new Map<string, RoleRecord>();
  /** Transit Gateway options, route tables and attachments, and subnets (see transit.ts). */
  readonly transit = new TransitStore();
  quotas: Quotas = { ...DEFAULT_QUOTAS };
  /** New peerings stay invisible to Describe/Accept for this many real milliseconds (eventual consistency fault). */
  visibilityDelayMs = 0;
  private offsetMs = 0;
  private fixedNow: Date | undefined;
  private counter = 0;

  constructor(
    private readonly baseNow: () => Date = () => new Date(),
    readonly hubAccount = '111111111111',
  ) {}

  /** The emulator's clock: the base clock plus any advance, or a time set explicitly. */
  now(): Date {
    return new Date((this.fixedNow ?? this.baseNow()).getTime() + this.offsetMs);
  }

  /** Moves the emulator's clock forward (e.g. 7 days to expire pending requests). */
  advanceClock(ms: number): void {
    this.offsetMs += ms;
    this.refresh();
  }

  /** Pins the clock to a moment. */
  setNow(at: Date): void {
    this.fixedNow = at;
    this.offsetMs = 0;
    this.refresh();
  }

  /** Deterministic ids shaped like AWS's (prefix + 17 hex digits). */
  newId(prefix: string): string {
    this.counter += 1;
    const mixed = (BigInt(this.counter) * 0x9e3779b97f4a7c15n) & ((1n << 68n) - 1n);
    return `${prefix}-${mixed.toString(16).padStart(17, '0').slice(-17)}`;
  }

  /** Registers a role STS will let callers assume (and the ExternalId it demands). */
  setRole(account: string, role: RoleRecord): void {
    this.roles.set(account, role);
  }

  /** Seeds a VPC with its main route table (which holds one local route per CIDR). */
  createVpc(input: {
    account: string;
    region: string;
    cidr: string;
    secondaryCidrs?: string[];
    ipv6Cidr?: string;
    tags?: Tags;
    isDefault?: boolean;
  }): { vpcId: string; mainRouteTableId: string } {
    if (!parseRange(input.cidr)) throw new Ec2Error('InvalidVpc.Range', `The CIDR '${input.cidr}' is invalid.`);
    const vpc: VpcRecord = {
      id: this.newId('vpc'),
      account: input.account,
      region: input.region,
      ipv4: [{ cidr: input.cidr, associationId: this.newId('vpc-cidr-assoc') }],
      ipv6: [],
      tags: { ...(input.tags ?? {}) },
      isDefault: input.isDefault ?? false,
      createdAt: this.now().getTime(),
    };
    this.vpcs.set(vpc.id, vpc);
    const main = this.newTable(vpc, true, {});
    for (const extra of input.secondaryCidrs ?? []) this.associateCidr(vpc.id, extra);
    if (input.ipv6Cidr) this.associateCidr(vpc.id, input.ipv6Cidr);
    return { vpcId: vpc.id, mainRouteTableId: main.id };
  }

  /** Adds a secondary IPv4 or an IPv6 CIDR to a VPC; every table of the VPC gets its local route. */
  associateCidr(vpcId: string, cidr: string): void {
    const vpc = this.vpc(vpcId);
    const range = parseRange(cidr);
    if (!range) throw new Ec2Error('InvalidParameterValue', `Value (${cidr}) for parameter cidrBlock is invalid.`);
    (range.v6 ? vpc.ipv6 : vpc.ipv4).push({
      cidr,
      associationId: this.newId(range.v6 ? 'vpc-cidr-assoc' : 'vpc-cidr-assoc'),
    });
    for (const table of this.tablesOf(vpcId)) table.routes.push(localRoute(cidr, range.v6));
  }

  /** Seeds a custom (non-main) route table in a VPC. */
  createRouteTable(input: { vpcId: string; tags?: Tags }): string {
    return this.newTable(this.vpc(input.vpcId), false, input.tags ?? {}).id;
  }

  /** Seeds an unmanaged route (internet, NAT, transit gateway…), as if a human had created it. */
  addRoute(input: {
    routeTableId: string;
    destination: string;
    target: RouteTargetFields;
    state?: 'active' | 'blackhole';
  }): void {
    const table = this.table(input.routeTableId);
    const range = parseRange(input.destination);
    if (!range)
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value (${input.destination}) for parameter destinationCidrBlock is invalid.`,
      );
    table.routes.push({
      destination: input.destination,
      ipv6: range.v6,
      origin: 'CreateRoute',
      ...input.target,
      ...(input.state ? { fixedState: input.state } : {}),
    });
  }

  /** Seeds a gateway (see gateways.ts); a gateway endpoint adds its prefix-list routes to its tables. */
  createGateway(input: GatewayInput): GatewayRecord {
    return createGateway(this, input);
  }

  vpc(vpcId: string): VpcRecord {
    const vpc = this.vpcs.get(vpcId);
    if (!vpc) throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    return vpc;
  }

  table(routeTableId: string): RouteTableRecord {
    const table = this.routeTables.get(routeTableId);
    if (!table)
      throw new Ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`);
    return table;
  }

  tablesOf(vpcId: string): RouteTableRecord[] {
    return [...this.routeTables.values()].filter((t) => t.vpcId === vpcId);
  }

  /** A VPC the caller owns in the caller's region, or the NotFound AWS would return. */
  ownVpc(caller: Caller, vpcId: string): VpcRecord {
    const vpc = this.vpcs.get(vpcId);
    if (!vpc || vpc.account !== caller.account || vpc.region !== caller.region) {
      throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    }
    return vpc;
  }

  /** A route table the caller owns in the caller's region. */
  ownTable(caller: Caller, routeTableId: string): RouteTableRecord {
    const table = this.routeTables.get(routeTableId);
    if (!table || table.account !== caller.account || table.region !== caller.region) {
      throw new Ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`);
    }
    return table;
  }

  /** A peering is visible in an account and region when one of its sides lives there (and the visibility delay has passed). */
  peeringVisibleTo(caller: Caller, peering: PeeringRecord): boolean {
    if (Date.now() < peering.visibleAfter) return false;
    const side = (s: PeeringRecord['requester']): boolean => s.account === caller.account && s.region === caller.region;
    return side(peering.requester) || side(peering.accepter);
  }

  /** A peering the caller can see, or the NotFound AWS would return. */
  visiblePeering(caller: Caller, peeringId: string): PeeringRecord {
    const peering = this.peerings.get(peeringId);
    if (!peering || !this.peeringVisibleTo(caller, peering)) {
      throw new Ec2Error(
        'InvalidVpcPeeringConnectionID.NotFound',
        `The vpcPeeringConnection ID '${peeringId}' does not exist`,
      );
    }
    return peering;
  }

  /** Applies time-driven transitions: a request pending for 7 days becomes `expired`. */
  refresh(): void {
    const now = this.now().getTime();
    for (const p of this.peerings.values()) {
      if (p.status === 'pending-acceptance' && now >= p.expiresAt) {
        p.status = 'expired';
        p.message = 'Expired';
      }
    }
  }

  /**
   * A route to a peering is `blackhole` unless the peering is active; a route to a gateway the emulator
   * knows is `blackhole` once that gateway is deleted; other routes keep their seeded state.
   */
  routeState(route: RouteRecord): 'active' | 'blackhole' {
    if (route.vpcPeeringConnectionId) {
      return this.peerings.get(route.vpcPeeringConnectionId)?.status === 'active' ? 'active' : 'blackhole';
    }
    if (gatewayOf(this, route)?.state === 'deleted') return 'blackhole';
    return route.fixedState ?? 'active';
  }

  private newTable(vpc: VpcRecord, main: boolean, tags: Tags): RouteTableRecord {
    const table: RouteTableRecord = {
      id: this.newId('rtb'),
      vpcId: vpc.id,
      account: vpc.account,
      region: vpc.region,
      main,
      associationId: this.newId('rtbassoc'),
      tags: { ...tags },
      routes: [...vpc.ipv4.map((c) => localRoute(c.cidr, false)), ...vpc.ipv6.map((c) => localRoute(c.cidr, true))],
    };
    this.routeTables.set(table.id, table);
    return table;
  }
}

function localRoute(cidr: string, ipv6: boolean): RouteRecord {
  return { destination: cidr, ipv6, origin: 'CreateRouteTable', gatewayId: 'local' };
}
