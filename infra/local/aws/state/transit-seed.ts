import { parseRange } from '../../ranges';
import type { AwsEmulatorState } from './state';
import { createSubnet, createTransitGateway, createTransitRouteTable } from './transit';
import { createVpcAttachment } from './transit-attachments';
import type { TgwAttachmentRecord } from './transit-types';
import type { Caller, Tags } from './types';

/** A caller for seeding: the emulator's own hand, acting as an account in a region. */
function seeder(account: string, region: string): Caller {
  return { account, region, accessKeyId: 'seed' };
}

/**
 * Seeds a TGW as a network team sets one up for peerkeeper: no default route table association or propagation
 * (each spoke's routing is declared), `routeTables` named route tables, optionally auto-accepting shared attachments.
 */
export function seedTransitHub(
  state: AwsEmulatorState,
  input: { account: string; region: string; routeTables: string[]; autoAccept?: boolean; tags?: Tags },
): { transitGatewayId: string; routeTableIds: string[] } {
  const tgw = createTransitGateway(state, {
    account: input.account,
    region: input.region,
    defaultRouteTableAssociation: false,
    defaultRouteTablePropagation: false,
    autoAcceptSharedAttachments: input.autoAccept ?? false,
    ...(input.tags ? { tags: input.tags } : {}),
  });
  const routeTableIds = input.routeTables.map(
    (name) => createTransitRouteTable(state, { transitGatewayId: tgw.id, tags: { Name: name } }).id,
  );
  return { transitGatewayId: tgw.id, routeTableIds };
}

/**
 * Seeds one /24 subnet per zone (`<region>a`, `<region>b`, …) at the start of the VPC's primary IPv4 range (a /16
 * gives x.y.0.0/24, x.y.1.0/24 …).
 */
export function seedSubnets(state: AwsEmulatorState, vpcId: string, zones = 2, tags?: Tags): string[] {
  const vpc = state.vpc(vpcId);
  const base = parseRange(vpc.ipv4[0]!.cidr)!.first;
  return Array.from({ length: zones }, (_, i) => {
    const first = base + BigInt(i * 256);
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((first >> shift) & 255n));
    return createSubnet(state, {
      vpcId,
      availabilityZone: `${vpc.region}${String.fromCharCode(97 + i)}`,
      cidr: `${octets.join('.')}/24`,
      ...(tags ? { tags } : {}),
    }).id;
  });
}

/**
 * Seeds an attachment someone made by hand (no peerkeeper tags): the VPC's owner attaches it on its subnets; for
 * `available` it is accepted (a cross-account one) and settled at once.
 */
export function seedVpcAttachment(
  state: AwsEmulatorState,
  input: { transitGatewayId: string; vpcId: string; state: 'pendingAcceptance' | 'available'; tags?: Tags },
): TgwAttachmentRecord {
  const vpc = state.vpc(input.vpcId);
  const subnetIds = [...state.transit.subnets.values()].filter((s) => s.vpcId === vpc.id);
  const zones = new Map<string, string>();
  for (const s of subnetIds) if (!zones.has(s.availabilityZone)) zones.set(s.availabilityZone, s.id);
  const a = createVpcAttachment(state, seeder(vpc.account, vpc.region), {
    transitGatewayId: input.transitGatewayId,
    vpcId: vpc.id,
    subnetIds: [...zones.values()],
    ...(input.tags ? { tags: input.tags } : {}),
  });
  // Accepted (when cross-account) and settled at once: the hand that made it has long finished.
  if (input.state === 'available') {
    a.state = 'available';
    a.settleIn = 0;
  }
  return a;
}
