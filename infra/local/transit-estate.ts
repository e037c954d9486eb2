import { seedInterconnectAttachment, seedTransitHub, type AwsEmulator } from './aws';
import type { AzureEmulator } from './azure';
import type { GcpEmulator } from './gcp';

/**
 * The transit hubs of the local estate (issue 17), as a network team set them up before peerkeeper was deployed:
 * an AWS Transit Gateway with a `spokes` route table and a site-to-site VPN to Azure, an Azure Virtual WAN hub, and a
 * Google NCC hub. infra/local/policy.yaml names them; the AWS ids are the EC2 emulator's deterministic ids for the
 * first resources it makes, so the hubs are seeded before anything else (seedLocalTransit checks they match).
 */
export const TRANSIT_CAST = {
  aws: {
    /** The TGW, its route table `spokes` and the VPN attachment toward Azure (as in policy.yaml). */
    tgw: 'tgw-09e3779b97f4a7c15',
    spokesTable: 'tgw-rtb-13c6ef372fe94f82a',
    vpn: 'tgw-attach-278dde6e5fd29f054',
    /** The transit spoke's account (governed) and a stranger who tries to attach to the TGW. */
    spoke: '222222222222',
    stranger: '666666666666',
  },
  azure: {
    /** The connectivity subscription holding the Virtual WAN, the spoke's, and one nobody lists. */
    hubSubscription: '0b1f6471-1bf0-4dda-aec3-dddddddddddd',
    spoke: '0b1f6471-1bf0-4dda-aec3-eeeeeeeeeeee',
    unlisted: '0b1f6471-1bf0-4dda-aec3-ffffffffffff',
    hub: '/subscriptions/0b1f6471-1bf0-4dda-aec3-dddddddddddd/resourceGroups/wan/providers/Microsoft.Network/virtualHubs/hub-we',
    wan: '/subscriptions/0b1f6471-1bf0-4dda-aec3-dddddddddddd/resourceGroups/wan/providers/Microsoft.Network/virtualWans/wan',
  },
  gcp: {
    hubProject: 'net-hub',
    hub: 'projects/net-hub/locations/global/hubs/core',
    /** The transit spoke's project (governed) and one the policy does not list. */
    spoke: 'shop-transit',
    stranger: 'rogue-prj',
  },
  cidrs: {
    awsSpoke: '10.5.0.0/16',
    awsStranger: '10.66.0.0/16',
    azureHub: '10.40.0.0/23',
    azureSpoke: '10.41.0.0/16',
    azureUnlisted: '10.42.0.0/16',
    gcpSpoke: '10.33.0.0/20',
    gcpStranger: '10.34.0.0/20',
    /** A range someone routes by hand in each hub route table (never peerkeeper's). */
    handRoute: '192.168.50.0/24',
  },
} as const;

/** Seeds the three transit hubs (no events: they were always there). Throws if the AWS ids drifted from the policy's. */
export function seedLocalTransit(aws: AwsEmulator, azure: AzureEmulator, gcp: GcpEmulator): void {
  const t = TRANSIT_CAST;
  const hub = seedTransitHub(aws.state, { account: '111111111111', region: 'us-east-1', routeTables: ['spokes'] });
  const spokesTable = hub.routeTableIds[0]!;
  // The VPN to Azure: the Azure ranges are learned over BGP and propagated into the spokes table.
  const vpn = seedInterconnectAttachment(aws.state, {
    transitGatewayId: hub.transitGatewayId,
    resourceType: 'vpn',
    cidrs: [t.cidrs.azureSpoke],
    association: spokesTable,
    propagations: [spokesTable],
    tags: { Name: 'vpn-to-azure' },
  });
  const seeded = { tgw: hub.transitGatewayId, spokesTable, vpn: vpn.id };
  const declared = { tgw: t.aws.tgw, spokesTable: t.aws.spokesTable, vpn: t.aws.vpn };
  if (JSON.stringify(seeded) !== JSON.stringify(declared))
    throw new Error(
      `the local transit hub ids changed (${JSON.stringify(seeded)}); update TRANSIT_CAST and infra/local/policy.yaml`,
    );

  azure.state.createSubscription(t.azure.hubSubscription, { displayName: 'connectivity' });
  // The spoke's subscription and project are listed in the policy: they exist (empty) before the story vends into them.
  azure.state.createSubscription(t.azure.spoke, { displayName: 'orders-eu' });
  gcp.state.createProject({ id: t.gcp.spoke, name: 'Shop (transit)' });
  const wan = azure.state.wan.createVirtualWan({
    subscription: t.azure.hubSubscription,
    resourceGroup: 'wan',
    name: 'wan',
    location: 'westeurope',
  });
  azure.state.wan.createVirtualHub({
    subscription: t.azure.hubSubscription,
    resourceGroup: 'wan',
    name: 'hub-we',
    location: 'westeurope',
    virtualWanId: wan.id,
    addressPrefix: t.cidrs.azureHub,
  });

  // The hub project is made here with its NCC hub (the scenario's estate does not make it again).
  gcp.state.createProject({ id: t.gcp.hubProject, name: 'Network hub' });
  gcp.state.ncc.createHub({ project: t.gcp.hubProject, name: 'core', groups: ['default', 'quarantine'] });
  // An on-premises VPN someone else runs: a hybrid spoke and the range it learned over BGP (never peerkeeper's).
  const onprem = gcp.state.ncc.seedSpoke({
    project: t.gcp.hubProject,
    name: 'onprem-vpn',
    hub: t.gcp.hub,
    group: 'default',
    hybrid: {
      kind: 'vpn',
      region: 'europe-west1',
      uris: [
        `https://www.googleapis.com/compute/v1/projects/${t.gcp.hubProject}/regions/europe-west1/vpnTunnels/onprem`,
      ],
      vpcNetwork: `https://www.googleapis.com/compute/v1/projects/${t.gcp.hubProject}/global/networks/hub`,
    },
  });
  gcp.state.ncc.addHybridRoute({
    hub: t.gcp.hub,
    routeTable: 'default',
    ipCidrRange: t.cidrs.handRoute,
    spoke: onprem.name,
  });
}
