import {
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type RouteTable as Ec2RouteTable,
  type Vpc,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import { mergeObservations, type Network, type Observation, type Peering, type UnreadPartition } from '../../model';
import { awsErrorCode } from './errors';
import type { AwsConnections } from './connect';
import { observeTransit, type TransitRead } from './observeTransit';
import { allPages } from './paging';
import { peeringToModel, vpcToNetwork } from './toModel';

/** Page sizes: the maxima EC2 allows (DescribeVpcs 1000, DescribeRouteTables 100, DescribeVpcPeeringConnections 1000). */
const PAGE = { vpcs: 1000, routeTables: 100, peerings: 1000 } as const;

/**
 * Observes one account in one region with the fewest calls: DescribeVpcs (owner-id), DescribeRouteTables
 * (owner-id, in parallel with DescribeVpcs: neither needs the other), and one unfiltered DescribeVpcPeeringConnections — EC2 lists exactly the
 * peerings with a side in the caller's account and region, which is what filtering on requester and
 * accepter owner-id would need two calls for. Filter results are re-checked on this side. A failed list
 * becomes a gap, never an exception.
 */
export async function observeRegion(
  conn: AwsConnections,
  account: string,
  region: string,
  opts: { transit?: boolean } = {},
): Promise<Observation> {
  const target = { account, region };
  const gaps: string[] = [];
  const unread: UnreadPartition[] = [];
  const where = `aws:${account}:${region}`;
  const fail =
    (what: string) =>
    (error: unknown): undefined => {
      gaps.push(`${where}: ${what} failed (${awsErrorCode(error)}); observation incomplete`);
      unread.push({ cloud: 'aws', account, region, reason: `${what} failed (${awsErrorCode(error)})` });
      return undefined;
    };

  // The three lists are independent: route tables are listed by owner-id, not by the VPC ids DescribeVpcs returns,
  // so one round trip's latency (not three) and no 200-id chunking: an account of 1,000 VPCs pages 100 tables a call.
  const vpcsPromise = allPages<Vpc>(async (token) => {
    const out = await conn.call(target, 'observe', (c) =>
      c.send(
        new DescribeVpcsCommand({
          Filters: [{ Name: 'owner-id', Values: [account] }],
          MaxResults: PAGE.vpcs,
          NextToken: token,
        }),
      ),
    );
    return { items: out.Vpcs ?? [], next: out.NextToken };
  }).then((list) => list.filter((v) => v.OwnerId === account && v.VpcId), fail('DescribeVpcs'));

  const peeringsPromise = allPages<VpcPeeringConnection>(async (token) => {
    const out = await conn.call(target, 'observe', (c) =>
      c.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: PAGE.peerings, NextToken: token })),
    );
    return { items: out.VpcPeeringConnections ?? [], next: out.NextToken };
  }).catch(fail('DescribeVpcPeeringConnections'));

  const tablesPromise = allPages<Ec2RouteTable>(async (token) => {
    const out = await conn.call(target, 'observe', (c) =>
      c.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: 'owner-id', Values: [account] }],
          MaxResults: PAGE.routeTables,
          NextToken: token,
        }),
      ),
    );
    return { items: out.RouteTables ?? [], next: out.NextToken };
  }).catch(fail('DescribeRouteTables'));

  // Transit Gateways, their tables and the attachments this account sees (issue 17): read beside the VPCs when the
  // policy declares transit hubs, so a peering-only estate keeps its 3 reads per partition.
  const transitPromise: Promise<TransitRead | undefined> = opts.transit
    ? observeTransit(conn, account, region).catch(fail('Transit Gateway reads'))
    : Promise.resolve(undefined);

  const [vpcs, found] = await Promise.all([vpcsPromise, tablesPromise]);
  const vpcIds = new Set((vpcs ?? []).map((v) => v.VpcId!));
  const tables = new Map<string, Ec2RouteTable[]>();
  // Filter results are re-checked here: only tables of the VPCs this account owns.
  for (const t of found ?? []) {
    if (!t.VpcId || !vpcIds.has(t.VpcId)) continue;
    const list = tables.get(t.VpcId);
    if (list) list.push(t);
    else tables.set(t.VpcId, [t]);
  }

  const networks: Network[] = (vpcs ?? []).map((v) => vpcToNetwork(v, account, region, tables.get(v.VpcId!) ?? []));
  const involvesHere = (p: Peering): boolean =>
    (p.requester.account === account && p.requester.region === region) ||
    (p.accepter.account === account && p.accepter.region === region);
  const peerings = ((await peeringsPromise) ?? []).flatMap((p) => peeringToModel(p, region) ?? []).filter(involvesHere);
  const transit = await transitPromise;
  for (const failure of transit?.failures ?? []) {
    gaps.push(`${where}: ${failure}; observation incomplete`);
    unread.push({ cloud: 'aws', account, region, reason: failure });
  }
  return {
    complete: gaps.length === 0,
    gaps,
    unread,
    accounts: [{ cloud: 'aws', account, labels: {} }],
    networks,
    peerings,
    ...(transit ? { transitHubs: transit.transitHubs, attachments: transit.attachments } : {}),
  };
}

/** Joins region observations; a peering seen from both sides keeps the union of tags (each side sees only its own). */
export function joinObservations(parts: readonly Observation[]): Observation {
  const networks = new Map<string, Network>();
  const peerings = new Map<string, Peering>();
  const accounts = new Map<string, Observation['accounts'][number]>();
  const gaps: string[] = [];
  const unread: UnreadPartition[] = [];
  for (const part of parts) {
    gaps.push(...part.gaps);
    unread.push(...(part.unread ?? []));
    for (const a of part.accounts) accounts.set(a.account, a);
    for (const n of part.networks) networks.set(`${n.ref.account}:${n.ref.region}:${n.ref.id}`, n);
    for (const p of part.peerings) {
      const seen = peerings.get(p.id);
      peerings.set(
        p.id,
        seen ? { ...p, tags: { ...seen.tags, ...p.tags }, options: { ...seen.options, ...p.options } } : p,
      );
    }
  }
  // Hubs and attachments join as the model joins them: the hub owner's and the spoke's views of one attachment.
  const transit = mergeObservations(
    parts.map((p) => ({
      complete: true,
      gaps: [],
      networks: [],
      peerings: [],
      accounts: [],
      ...(p.transitHubs ? { transitHubs: p.transitHubs } : {}),
      ...(p.attachments ? { attachments: p.attachments } : {}),
    })),
  );
  return {
    complete: parts.every((p) => p.complete),
    gaps,
    unread,
    accounts: [...accounts.values()],
    networks: [...networks.values()],
    peerings: [...peerings.values()],
    ...(transit.transitHubs ? { transitHubs: transit.transitHubs } : {}),
    ...(transit.attachments ? { attachments: transit.attachments } : {}),
  };
}
