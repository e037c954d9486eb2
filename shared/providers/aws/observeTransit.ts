import {
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
  type TransitGateway,
  type TransitGatewayAttachment,
  type TransitGatewayRoute,
  type TransitGatewayRouteTable,
} from '@aws-sdk/client-ec2';
import type { Attachment, TransitHub } from '../../model';
import type { AwsConnections } from './connect';
import { allPages } from './paging';
import { attachmentToModel, interconnectOf, routeTableToHubTable, transitGatewayToHub } from './transitToModel';

/** Page sizes: the maxima EC2 allows for each TGW list (1000 everywhere, SearchTransitGatewayRoutes included). */
const PAGE = 1000;

/** What one partition's TGW reads give: the hubs it owns, the attachments it sees, and reads that fell short. */
export interface TransitRead {
  transitHubs: TransitHub[];
  attachments: Attachment[];
  /** One line per failed or truncated read (the caller turns them into gaps on the partition). */
  failures: string[];
}

/**
 * Every route of a TGW route table: SearchTransitGatewayRoutes has no "list all", so one search for both route
 * types, paged by NextToken where EC2 gives one. Older EC2 gave none, only AdditionalRoutesAvailable: a table it
 * cut short is reported, never taken as complete.
 */
async function tableRoutes(
  conn: AwsConnections,
  target: { account: string; region: string },
  tableId: string,
  failures: string[],
): Promise<TransitGatewayRoute[]> {
  const routes: TransitGatewayRoute[] = [];
  let token: string | undefined;
  do {
    const out = await conn.call(target, 'observe', (c) =>
      c.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: tableId,
          Filters: [{ Name: 'type', Values: ['static', 'propagated'] }],
          MaxResults: PAGE,
          NextToken: token,
        }),
      ),
    );
    routes.push(...(out.Routes ?? []));
    token = out.NextToken;
    if (!token && out.AdditionalRoutesAvailable)
      failures.push(
        `SearchTransitGatewayRoutes ${tableId} truncated at ${routes.length} routes (AdditionalRoutesAvailable)`,
      );
  } while (token);
  return routes;
}

/** attachment id → the route tables it propagates into, from each table's propagation list. */
async function tablePropagations(
  conn: AwsConnections,
  target: { account: string; region: string },
  tableId: string,
): Promise<{ attachmentId: string; tableId: string }[]> {
  const items = await allPages(async (token) => {
    const out = await conn.call(target, 'observe', (c) =>
      c.send(
        new GetTransitGatewayRouteTablePropagationsCommand({
          TransitGatewayRouteTableId: tableId,
          MaxResults: PAGE,
          NextToken: token,
        }),
      ),
    );
    return { items: out.TransitGatewayRouteTablePropagations ?? [], next: out.NextToken };
  });
  return items
    .filter((p) => p.TransitGatewayAttachmentId && (p.State === 'enabled' || p.State === 'enabling'))
    .map((p) => ({ attachmentId: p.TransitGatewayAttachmentId!, tableId }));
}

/**
 * Reads the Transit Gateway side of one account and region: the TGWs it owns (DescribeTransitGateways, owner-id) with
 * their route tables (one DescribeTransitGatewayRouteTables for all of them), each table's propagations and routes
 * (in parallel), and every attachment the account sees as TGW owner or VPC owner (DescribeTransitGatewayAttachments:
 * VPC attachments become attachments; VPN and Direct Connect ones become the hub's interconnects). The TGW list and
 * the attachment list are independent and read in parallel. A failed read throws; the caller marks the partition.
 */
export async function observeTransit(conn: AwsConnections, account: string, region: string): Promise<TransitRead> {
  const target = { account, region };
  const failures: string[] = [];
  const [tgws, attachments] = await Promise.all([
    allPages<TransitGateway>(async (token) => {
      const out = await conn.call(target, 'observe', (c) =>
        c.send(
          new DescribeTransitGatewaysCommand({
            Filters: [{ Name: 'owner-id', Values: [account] }],
            MaxResults: PAGE,
            NextToken: token,
          }),
        ),
      );
      return { items: out.TransitGateways ?? [], next: out.NextToken };
    }),
    allPages<TransitGatewayAttachment>(async (token) => {
      const out = await conn.call(target, 'observe', (c) =>
        c.send(new DescribeTransitGatewayAttachmentsCommand({ MaxResults: PAGE, NextToken: token })),
      );
      return { items: out.TransitGatewayAttachments ?? [], next: out.NextToken };
    }),
  ]);
  // Filter results are re-checked on this side: only TGWs this account owns, not deleted.
  const owned = tgws.filter((g) => g.OwnerId === account && g.TransitGatewayId && g.State !== 'deleted');
  const ownedIds = owned.map((g) => g.TransitGatewayId!);
  const tables =
    ownedIds.length === 0
      ? []
      : await allPages<TransitGatewayRouteTable>(async (token) => {
          const out = await conn.call(target, 'observe', (c) =>
            c.send(
              new DescribeTransitGatewayRouteTablesCommand({
                Filters: [{ Name: 'transit-gateway-id', Values: ownedIds }],
                MaxResults: PAGE,
                NextToken: token,
              }),
            ),
          );
          return { items: out.TransitGatewayRouteTables ?? [], next: out.NextToken };
        });
  const live = tables.filter((t) => t.TransitGatewayRouteTableId && t.State !== 'deleted' && t.State !== 'deleting');
  const perTable = await Promise.all(
    live.map(async (t) => {
      const id = t.TransitGatewayRouteTableId!;
      const [propagations, routes] = await Promise.all([
        tablePropagations(conn, target, id),
        tableRoutes(conn, target, id, failures),
      ]);
      return { table: t, propagations, routes };
    }),
  );
  const propagationsOf = new Map<string, string[]>();
  for (const { propagations } of perTable)
    for (const p of propagations)
      propagationsOf.set(p.attachmentId, [...(propagationsOf.get(p.attachmentId) ?? []), p.tableId]);
  const transitHubs = owned.map((g) =>
    transitGatewayToHub(
      g,
      region,
      perTable
        .filter((x) => x.table.TransitGatewayId === g.TransitGatewayId)
        .map((x) => routeTableToHubTable(x.table, x.routes)),
      attachments
        .filter((a) => a.TransitGatewayId === g.TransitGatewayId && a.State !== 'deleted')
        .flatMap((a) => interconnectOf(a) ?? []),
    ),
  );
  return {
    transitHubs,
    attachments: attachments.flatMap((a) => attachmentToModel(a, region, propagationsOf) ?? []),
    failures,
  };
}
