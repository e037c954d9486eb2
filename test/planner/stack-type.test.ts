import type { Cloud, Network, PeeringOptions } from '../../shared/model';
import { linkOptions } from '../../shared/planner/stack-type';

const net = (cloud: Cloud, cidrs: string[]): Network => ({
  ref: { cloud, account: 'p', region: 'global', id: cidrs.join() },
  cidrs,
  tags: {},
  routeTables: [],
});
const V4 = ['10.0.0.0/20'];
const DUAL = ['10.0.0.0/20', 'fd20:1:2::/64'];

describe('linkOptions', () => {
  const cases: {
    reason: string;
    cloud: Cloud;
    options: PeeringOptions;
    requester?: Network;
    accepter?: Network;
    want: PeeringOptions;
  }[] = [
    {
      reason: 'two dual-stack GCP networks want IPv6 exchanged',
      cloud: 'gcp',
      options: {},
      requester: net('gcp', DUAL),
      accepter: net('gcp', DUAL),
      want: { stackType: 'IPV4_IPV6' },
    },
    {
      reason: 'one IPv4-only side leaves the default (IPV4_ONLY)',
      cloud: 'gcp',
      options: {},
      requester: net('gcp', DUAL),
      accepter: net('gcp', V4),
      want: {},
    },
    { reason: 'an unobserved side decides nothing', cloud: 'gcp', options: {}, requester: net('gcp', DUAL), want: {} },
    {
      reason: 'a stackType the policy names wins',
      cloud: 'gcp',
      options: { stackType: 'IPV4_ONLY' },
      requester: net('gcp', DUAL),
      accepter: net('gcp', DUAL),
      want: { stackType: 'IPV4_ONLY' },
    },
    {
      reason: 'other clouds have no stackType',
      cloud: 'azure',
      options: {},
      requester: net('azure', DUAL),
      accepter: net('azure', DUAL),
      want: {},
    },
  ];
  it.each(cases)('$reason', ({ cloud, options, requester, accepter, want }) => {
    expect(linkOptions(options, cloud, requester, accepter)).toEqual(want);
  });
});
