import { declaredPeering, declaredRequests } from '../../shared/approvals/declared';
import { withDeclaredRequests } from '../../shared/reconcile';
import type { NetworkRef, Observation } from '../../shared/model';

const hub: NetworkRef = { cloud: 'gcp', account: 'net-hub-prod', region: 'global', id: 'hub' };
const partner: NetworkRef = { cloud: 'gcp', account: 'partner-proj', region: 'global', id: 'partner-net' };
const elsewhere: NetworkRef = { cloud: 'gcp', account: 'other-proj', region: 'global', id: 'other' };
const NOW = new Date('2026-11-20T12:00:00.000Z');
const observation = (peerings: Observation['peerings'] = []): Observation => ({
  complete: true,
  gaps: [],
  accounts: [],
  peerings,
  networks: [{ ref: hub, cidrs: ['10.40.0.0/20'], tags: {}, routeTables: [] }],
});
const declared = (to: NetworkRef) =>
  declaredRequests({ requester: partner, accepters: [to], cidrs: ['10.99.0.0/20'] }, NOW).map(declaredPeering);

describe('withDeclaredRequests', () => {
  it.each([
    {
      reason: 'a request towards an observed network becomes a requested peering',
      obs: observation(),
      to: hub,
      added: 1,
    },
    {
      reason: 'a request towards a network this scope does not observe is left out',
      obs: observation(),
      to: elsewhere,
      added: 0,
    },
    {
      reason: 'once our half exists the observed peering speaks for the pair',
      to: hub,
      added: 0,
      obs: observation([
        { id: 'gcp-half', cloud: 'gcp', requester: hub, accepter: partner, state: 'requested', options: {}, tags: {} },
      ]),
    },
    {
      reason: 'a deleted peering of the pair does not hide the request',
      to: hub,
      added: 1,
      obs: observation([
        { id: 'gcp-old', cloud: 'gcp', requester: partner, accepter: hub, state: 'deleted', options: {}, tags: {} },
      ]),
    },
  ])('$reason', ({ obs, to, added }) => {
    const merged = withDeclaredRequests(obs, declared(to));
    expect(merged.peerings.length - obs.peerings.length).toBe(added);
    if (added)
      expect(merged.peerings.at(-1)).toMatchObject({
        state: 'requested',
        requester: partner,
        accepter: hub,
        requesterCidrs: ['10.99.0.0/20'],
      });
  });
});
