import { buildTopology, renderMermaid } from '../../shared/graph';
import { planScope } from '../../shared/planner';
import { estate, NOW } from '../support/estate-builder';
import { attachment, OURS, SPOKE_ACCOUNTS, spokeNetwork, transitHub, transitPolicy } from '../support/transit-builder';

describe('the graph draws transit hubs and attachments', () => {
  const attached = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
  const fresh = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[1], 'shop', ['10.2.0.0/16']);
  const stranger = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[2], 'stranger', ['10.3.0.0/16']);
  const observation = estate([attached, fresh], [], {
    transitHubs: [transitHub('aws', [], { name: 'core-tgw' })],
    attachments: [
      attachment('tgw-attach-1', attached, 'active', {
        association: 'tgw-rtb-0spokes',
        propagations: ['tgw-rtb-0spokes'],
        tags: OURS,
      }),
      attachment('tgw-attach-x', stranger, 'requested'),
    ],
  });
  const plan = planScope({ policy: transitPolicy('aws'), observation, now: NOW });
  const topology = buildTopology({ observation, plan });

  it('as a hub node with an edge per attachment: ours active, a planned one, a stranger rejected by the plan', () => {
    const hub = topology.accounts.flatMap((a) => a.nodes).find((n) => n.hub);
    expect(hub?.label).toBe('core-tgw');
    const edges = topology.edges.filter((e) => e.attachment);
    expect(edges.map((e) => [e.id, e.state, e.managed, e.drift])).toEqual(
      expect.arrayContaining([
        ['tgw-attach-1', 'active', true, []],
        ['tgw-attach-x', 'requested', false, ['reject-attachment']],
        [expect.stringMatching(/^planned:/), 'planned', true, ['create-attachment', 'accept-attachment']],
      ]),
    );
  });

  it('Mermaid draws the hub as a hexagon and labels attachments', () => {
    const text = renderMermaid(topology);
    expect(text).toMatch(/\{\{"transit hub<br\/>core-tgw/);
    expect(text).toContain('attachment · active · spokes-via-hub');
  });
});
