import { sameRouting, connectionName } from '../../../shared/providers/azure/apply-transit';
import { ArmHubConnectionSchema } from '../../../shared/providers/azure/transitArm';
import { attachmentState, connectionRouting, toTransit } from '../../../shared/providers/azure/transitModel';

// Virtual WAN ARM JSON → the transit model, without I/O.
const SUB = '11111111-1111-4111-8111-111111111111';
const HUB = `/subscriptions/${SUB}/resourceGroups/Wan/providers/Microsoft.Network/virtualHubs/Hub-WEU`;
const VNET = `/subscriptions/${SUB}/resourceGroups/Net/providers/Microsoft.Network/virtualNetworks/Spoke`;
const table = (name: string) => ({ id: `${HUB}/hubRouteTables/${name}` });
const connection = (name: string, routing: unknown, provisioningState = 'Succeeded') =>
  ArmHubConnectionSchema.parse({
    id: `${HUB}/hubVirtualNetworkConnections/${name}`,
    name,
    properties: { remoteVirtualNetwork: { id: VNET }, routingConfiguration: routing, provisioningState },
  });

describe('Virtual WAN JSON to the transit model', () => {
  it('names route tables by name, and keeps labels only when there are some', () => {
    expect(
      connectionRouting(
        connection('peerkeeper-spoke', {
          associatedRouteTable: table('spokes'),
          propagatedRouteTables: { ids: [table('defaultRouteTable'), table('spokes')], labels: [] },
        }),
      ),
    ).toEqual({ association: 'spokes', propagations: ['defaultRouteTable', 'spokes'] });
    expect(connectionRouting(connection('c', { propagatedRouteTables: { ids: null, labels: ['default'] } }))).toEqual({
      propagations: [],
      labels: ['default'],
    });
  });

  it('maps provisioning states: Succeeded active, Failed failed, anything in flight pending', () => {
    expect(['Succeeded', 'Failed', 'Updating', 'Creating', 'Deleting', undefined].map(attachmentState)).toEqual([
      'active',
      'failed',
      'pending',
      'pending',
      'pending',
      'active',
    ]);
  });

  it('builds hub, table routes (a static route per destination, a learned one per range) and attachments', () => {
    const ours = connection(
      'peerkeeper-spoke',
      { propagatedRouteTables: { ids: [table('defaultRouteTable')] } },
      'Updating',
    );
    const connId = ours.id.toLowerCase();
    const spoke = { cloud: 'azure' as const, account: SUB, region: 'westeurope', id: VNET.toLowerCase() };
    const { transitHubs, attachments } = toTransit(
      [
        {
          hub: { id: HUB, name: 'Hub-WEU', location: 'WestEurope', tags: null, properties: {} },
          tables: [
            {
              id: `${HUB}/hubRouteTables/defaultRouteTable`,
              name: 'defaultRouteTable',
              properties: {
                routes: [
                  {
                    name: 'fw',
                    destinationType: 'CIDR',
                    destinations: ['0.0.0.0/0', '10.0.0.0/8'],
                    nextHopType: 'ResourceId',
                    nextHop: 'fw-id',
                  },
                ],
                labels: ['default'],
                associatedConnections: [],
                propagatingConnections: [ours.id],
              },
            },
          ],
          connections: [ours],
        },
      ],
      new Map([[spoke.id, { ref: spoke, cidrs: ['10.1.0.0/16', '10.2.0.0/16'] }]]),
    );
    expect(transitHubs[0]!.ref).toEqual({ cloud: 'azure', account: SUB, region: 'westeurope', id: HUB.toLowerCase() });
    expect(transitHubs[0]!.routeTables[0]!.routes.map((r) => [r.destination, r.origin, r.target])).toEqual([
      ['0.0.0.0/0', 'static', { kind: 'other', id: 'fw-id' }],
      ['10.0.0.0/8', 'static', { kind: 'other', id: 'fw-id' }],
      ['10.1.0.0/16', 'propagated', { kind: 'attachment', attachmentId: connId }],
      ['10.2.0.0/16', 'propagated', { kind: 'attachment', attachmentId: connId }],
    ]);
    expect(attachments).toEqual([
      expect.objectContaining({
        id: connId,
        state: 'pending',
        message: 'provisioningState Updating',
        network: spoke,
        tags: { 'peerkeeper:managed': 'true' },
      }),
    ]);
  });
});

describe('connection names and routing comparison', () => {
  it('prefixes the VNet name and adds a hash only when the plain name is taken', () => {
    expect(connectionName(VNET, [])).toBe('peerkeeper-Spoke');
    const taken = [connection('peerkeeper-spoke', null)];
    expect(connectionName(`${VNET.replace('/Net/', '/Other/')}`, taken)).toMatch(/^peerkeeper-Spoke-[0-9a-f]{8}$/);
    expect(connectionName(VNET.replace('Spoke', 'x'.repeat(90)), []).length).toBe(80);
  });

  it('compares association and propagations without case or order; labels only when wanted', () => {
    const have = { association: 'Spokes', propagations: ['b', 'A'], labels: ['default'] };
    expect(sameRouting(have, { association: 'spokes', propagations: ['a', 'B'] })).toBe(true);
    expect(sameRouting(have, { association: 'spokes', propagations: ['a', 'b'], labels: [] })).toBe(false);
    expect(sameRouting(have, { association: 'spokes', propagations: ['a'] })).toBe(false);
    expect(sameRouting(have, { propagations: ['a', 'b'] })).toBe(false);
  });
});
