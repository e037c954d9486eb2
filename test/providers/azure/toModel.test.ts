import fc from 'fast-check';
import type { NetworkRef } from '../../../shared/model';
import { type ArmHalf, joinHalves, type ObservedHalf, vnetRef } from '../../../shared/providers/azure/toModel';

const vnet = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/${name}`;
const refOf = (id: string): NetworkRef => vnetRef({ id, location: 'westus' });

function half(
  local: string,
  remote: string,
  name: string,
  peeringState: string,
  extra: Partial<ArmHalf['properties']> = {},
): ObservedHalf {
  return {
    local: refOf(local),
    half: {
      id: `${local}/virtualNetworkPeerings/${name}`,
      name,
      properties: { remoteVirtualNetwork: { id: remote }, peeringState, peeringSyncLevel: 'FullyInSync', ...extra },
    },
  };
}

const A = vnet('s1', 'A');
const B = vnet('s1', 'B');
const known = new Map([A, B].map((id) => [id.toLowerCase(), refOf(id)]));

describe('joinHalves', () => {
  const cases: Record<string, { reason: string; halves: ObservedHalf[]; want: Record<string, unknown> }> = {
    'only the accepter side': {
      reason: 'requester = the VNet whose half exists when only one does, even with the larger id',
      halves: [half(B, A, 'b-to-a', 'Initiated')],
      want: {
        id: `${B}/virtualNetworkPeerings/b-to-a`.toLowerCase(),
        state: 'requested',
        requester: refOf(B),
        accepter: refOf(A),
      },
    },
    'both halves': {
      reason: 'requester = the smaller lower-cased id; both Connected = active',
      halves: [
        half(B, A, 'peerkeeper-a', 'Connected'),
        half(A, B, 'a-to-b', 'Connected', { allowForwardedTraffic: true }),
      ],
      want: {
        id: `${A}/virtualNetworkPeerings/a-to-b`.toLowerCase(),
        state: 'active',
        requester: refOf(A),
        options: { allowForwardedTraffic: true },
        tags: { 'peerkeeper:managed': 'true' },
      },
    },
    disconnected: {
      reason: 'a Disconnected half needs repair: failed, with a message',
      halves: [half(A, B, 'a-to-b', 'Disconnected')],
      want: { state: 'failed', message: expect.stringContaining('Disconnected') },
    },
    'out of sync': {
      reason: 'peeringSyncLevel other than FullyInSync → needsSync',
      halves: [
        half(A, B, 'a-to-b', 'Connected', { peeringSyncLevel: 'LocalNotInSync' }),
        half(B, A, 'b-to-a', 'Connected'),
      ],
      want: { state: 'active', needsSync: true },
    },
    'mixed-case remote id': {
      reason: 'ARM ids are case-insensitive: halves naming each other in other casing still pair up',
      halves: [half(A, B.toUpperCase(), 'a-to-b', 'Connected'), half(B, A.toLowerCase(), 'b-to-a', 'Connected')],
      want: { id: `${A}/virtualNetworkPeerings/a-to-b`.toLowerCase(), accepter: refOf(B) },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { halves, want }) => {
    const peerings = joinHalves(halves, known);
    expect(peerings).toHaveLength(1);
    expect(peerings[0]).toMatchObject(want);
  });

  it('yields one peering per VNet pair whatever the order of the halves', () => {
    const ids = ['A', 'B', 'C', 'D'].map((n) => vnet('s1', n));
    const pair = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).filter(([x, y]) => x !== y);
    fc.assert(
      fc.property(fc.uniqueArray(pair, { selector: ([x, y]) => `${x}>${y}`, maxLength: 12 }), (edges) => {
        const halves = edges.map(([x, y]) => half(ids[x]!, ids[y]!, `h${x}${y}`, 'Initiated'));
        const forward = joinHalves(halves, known);
        const backward = joinHalves([...halves].reverse(), known);
        const pairs = new Set(edges.map(([x, y]) => [Math.min(x, y), Math.max(x, y)].join('-')));
        expect(forward).toEqual(backward);
        expect(forward).toHaveLength(pairs.size);
        for (const p of forward) expect(p.id.startsWith(p.requester.id)).toBe(true);
      }),
    );
  });
});
