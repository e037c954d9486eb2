import { parseRange } from '../../ranges';
import { createGateway } from './gateways';
import type { AwsEmulatorState } from './state';
import {
  DEFAULT_TRANSIT_QUOTAS,
  type SubnetRecord,
  type TgwAttachmentRecord,
  type TgwAttachmentStateCode,
  type TgwOptionsRecord,
  type TgwRouteTableRecord,
  type TransitQuotas,
} from './transit-types';
import { Ec2Error, type Caller, type GatewayRecord, type Tags } from './types';

/** Where each transient attachment state settles. */
const SETTLES_TO: Partial<Record<TgwAttachmentStateCode, TgwAttachmentStateCode>> = {
  initiating: 'pending',
  pending: 'available',
  modifying: 'available',
  deleting: 'deleted',
  rejecting: 'rejected',
  failing: 'failed',
};

/**
 * The Transit Gateway side of the emulator: TGW options, route tables, attachments and subnets. The TGW itself is
 * a `transit` gateway in AwsEmulatorState.gateways, so VPC routes toward it keep working as before.
 */
export class TransitStore {
  readonly options = new Map<string, TgwOptionsRecord>();
  readonly routeTables = new Map<string, TgwRouteTableRecord>();
  readonly attachments = new Map<string, TgwAttachmentRecord>();
  readonly subnets = new Map<string, SubnetRecord>();
  quotas: TransitQuotas = { ...DEFAULT_TRANSIT_QUOTAS };
  /**
   * How many TGW API calls a transient state (pending, deleting…) lasts: 1 = it settles on the next call, as a
   * deterministic stand-in for EC2's minute or so. Raise it to keep attachments pending (IncorrectState tests).
   */
  settleCalls = 1;
  /**
   * SearchTransitGatewayRoutes answers a NextToken when truncated (the current EC2 model has one). Older EC2 had
   * none, only AdditionalRoutesAvailable: false emulates that.
   */
  routeSearchPages = true;
  /**
   * EC2 is eventually consistent: a new attachment stays out of Describe answers for this many TGW calls after it is
   * made (0: seen at once). A create racing an unseen one still gets DuplicateTransitGatewayAttachment.
   */
  visibilityCalls = 0;
  /** TGW calls served so far (the clock `visibilityCalls` counts on). */
  calls = 0;

  /** Moves every transient attachment one call closer to its settled state (run at the start of each TGW call). */
  settle(state: AwsEmulatorState): void {
    this.calls += 1;
    for (const a of this.attachments.values()) {
      const next = SETTLES_TO[a.state];
      if (!next) continue;
      a.settleIn -= 1;
      if (a.settleIn > 0) continue;
      a.state = next;
      if (next === 'available') applyDefaults(state, a);
      if (next === 'deleted' || next === 'rejected' || next === 'failed') {
        delete a.association;
        a.propagations = [];
      }
    }
  }

  /** Puts an attachment into a state; a transient one settles after `settleCalls` TGW calls. */
  moveTo(a: TgwAttachmentRecord, next: TgwAttachmentStateCode): void {
    a.state = next;
    a.settleIn = this.settleCalls;
  }
}

/** On first becoming available, a TGW with default association / propagation applies them (EC2 does the same). */
function applyDefaults(state: AwsEmulatorState, a: TgwAttachmentRecord): void {
  if (a.defaultsApplied) return;
  a.defaultsApplied = true;
  const options = state.transit.options.get(a.transitGatewayId);
  if (!options) return;
  if (options.defaultRouteTableAssociation && options.associationDefaultRouteTableId && !a.association)
    a.association = options.associationDefaultRouteTableId;
  const prop = options.propagationDefaultRouteTableId;
  if (options.defaultRouteTablePropagation && prop && !a.propagations.includes(prop)) a.propagations.push(prop);
}

/** CreateTransitGateway (and the seeding helper): defaults as EC2's, unless the options say otherwise. */
export function createTransitGateway(
  state: AwsEmulatorState,
  input: {
    account: string;
    region: string;
    tags?: Tags;
    autoAcceptSharedAttachments?: boolean;
    defaultRouteTableAssociation?: boolean;
    defaultRouteTablePropagation?: boolean;
    amazonSideAsn?: number;
  },
): GatewayRecord {
  const owned = [...state.gateways.values()].filter(
    (g) => g.kind === 'transit' && g.account === input.account && g.region === input.region && g.state !== 'deleted',
  );
  if (owned.length >= state.transit.quotas.transitGatewaysPerAccount)
    throw new Ec2Error(
      'TransitGatewayLimitExceeded',
      `You have reached the limit of ${state.transit.quotas.transitGatewaysPerAccount} transit gateways.`,
    );
  const tgw = createGateway(state, { kind: 'transit', account: input.account, region: input.region, tags: input.tags });
  const options: TgwOptionsRecord = {
    amazonSideAsn: input.amazonSideAsn ?? 64512,
    autoAcceptSharedAttachments: input.autoAcceptSharedAttachments ?? false,
    defaultRouteTableAssociation: input.defaultRouteTableAssociation ?? true,
    defaultRouteTablePropagation: input.defaultRouteTablePropagation ?? true,
  };
  state.transit.options.set(tgw.id, options);
  if (options.defaultRouteTableAssociation || options.defaultRouteTablePropagation) {
    const table = createTransitRouteTable(state, { transitGatewayId: tgw.id, isDefault: true });
    if (options.defaultRouteTableAssociation) options.associationDefaultRouteTableId = table.id;
    if (options.defaultRouteTablePropagation) options.propagationDefaultRouteTableId = table.id;
  }
  return tgw;
}

/** The TGW options EC2 keeps for a transit gateway the emulator knows only as a gateway (seeded with createGateway). */
export function optionsOf(state: AwsEmulatorState, tgwId: string): TgwOptionsRecord {
  let options = state.transit.options.get(tgwId);
  if (!options) {
    options = {
      amazonSideAsn: 64512,
      autoAcceptSharedAttachments: false,
      defaultRouteTableAssociation: false,
      defaultRouteTablePropagation: false,
    };
    state.transit.options.set(tgwId, options);
  }
  return options;
}

/** A live TGW in the region, or EC2's NotFound. */
export function transitGateway(state: AwsEmulatorState, id: string, region: string): GatewayRecord {
  const tgw = state.gateways.get(id);
  if (!tgw || tgw.kind !== 'transit' || tgw.state === 'deleted' || tgw.region !== region)
    throw new Ec2Error('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`);
  return tgw;
}

/** CreateTransitGatewayRouteTable (and the seeding helper): at most 20 per TGW. */
export function createTransitRouteTable(
  state: AwsEmulatorState,
  input: { transitGatewayId: string; tags?: Tags; isDefault?: boolean },
): TgwRouteTableRecord {
  const tgw = state.gateways.get(input.transitGatewayId);
  if (!tgw || tgw.kind !== 'transit')
    throw new Ec2Error(
      'InvalidTransitGatewayID.NotFound',
      `Transit Gateway ${input.transitGatewayId} was deleted or does not exist.`,
    );
  const existing = [...state.transit.routeTables.values()].filter(
    (t) => t.transitGatewayId === tgw.id && t.state !== 'deleted',
  );
  if (existing.length >= state.transit.quotas.routeTablesPerTransitGateway)
    throw new Ec2Error(
      'TransitGatewayRouteTableLimitExceeded',
      `Transit Gateway ${tgw.id} has reached the limit of ${state.transit.quotas.routeTablesPerTransitGateway} route tables.`,
    );
  const table: TgwRouteTableRecord = {
    id: state.newId('tgw-rtb'),
    transitGatewayId: tgw.id,
    account: tgw.account,
    region: tgw.region,
    state: 'available',
    defaultAssociation: input.isDefault ?? false,
    defaultPropagation: input.isDefault ?? false,
    tags: { ...(input.tags ?? {}) },
    createdAt: state.now().getTime(),
    staticRoutes: [],
  };
  state.transit.routeTables.set(table.id, table);
  return table;
}

/** A route table of a TGW the caller owns, in the caller's region, or EC2's NotFound. */
export function ownTransitRouteTable(state: AwsEmulatorState, caller: Caller, id: string): TgwRouteTableRecord {
  const table = state.transit.routeTables.get(id);
  if (!table || table.state === 'deleted' || table.account !== caller.account || table.region !== caller.region)
    throw new Ec2Error(
      'InvalidRouteTableID.NotFound',
      `Transit Gateway Route Table ${id} was deleted or does not exist.`,
    );
  return table;
}

/** Seeds a subnet of a VPC in one Availability Zone (`us-east-1a` …). */
export function createSubnet(
  state: AwsEmulatorState,
  input: { vpcId: string; availabilityZone: string; cidr: string; tags?: Tags },
): SubnetRecord {
  const vpc = state.vpc(input.vpcId);
  if (!parseRange(input.cidr))
    throw new Ec2Error('InvalidParameterValue', `Value (${input.cidr}) for parameter cidrBlock is invalid.`);
  if (!input.availabilityZone.startsWith(vpc.region))
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value (${input.availabilityZone}) for parameter availabilityZone is invalid.`,
    );
  const subnet: SubnetRecord = {
    id: state.newId('subnet'),
    vpcId: vpc.id,
    account: vpc.account,
    region: vpc.region,
    availabilityZone: input.availabilityZone,
    cidr: input.cidr,
    tags: { ...(input.tags ?? {}) },
  };
  state.transit.subnets.set(subnet.id, subnet);
  return subnet;
}
