import fc from 'fast-check';
import type { Account, Network, Observation } from '../../shared/model';
import {
  type Group,
  groupWarnings,
  listedAccounts,
  loadPolicy,
  networkInGroup,
  networksInGroup,
  type Policy,
  PolicySchema,
  refInGroup,
} from '../../shared/policy';

const vpc: Network = {
  ref: { cloud: 'aws', account: '111111111111', region: 'us-east-1', id: 'vpc-0abc' },
  name: 'shared-hub',
  cidrs: ['10.0.0.0/16'],
  tags: { 'peerkeeper/role': 'hub', env: 'prod' },
  routeTables: [],
};
const vnetId = '/subscriptions/AAAA-BBBB/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/data-vnet';
const vnet: Network = {
  ref: { cloud: 'azure', account: 'aaaa-bbbb', region: 'westeurope', id: vnetId },
  cidrs: ['10.8.0.0/16'],
  tags: { tier: 'data' },
  routeTables: [],
};
const awsAccount: Account = { cloud: 'aws', account: '111111111111', labels: { team: 'network' } };

describe('networkInGroup', () => {
  const cases: Record<string, { reason: string; group: Group; network?: Network; account?: Account; want: boolean }> = {
    cloudOnly: { reason: 'omitted fields match anything', group: { cloud: 'aws' }, want: true },
    otherCloud: { reason: 'cloud always narrows', group: { cloud: 'gcp' }, want: false },
    accountListed: {
      reason: 'one of the listed accounts',
      group: { cloud: 'aws', account: ['222222222222', '111111111111'] },
      want: true,
    },
    accountUnlisted: {
      reason: 'accounts are never wildcards: listing is what allows requests',
      group: { cloud: 'aws', account: '1111*' },
      want: false,
    },
    region: { reason: 'region list', group: { cloud: 'aws', region: ['eu-west-1', 'us-east-1'] }, want: true },
    wrongRegion: { reason: 'region narrows', group: { cloud: 'aws', region: 'eu-west-1' }, want: false },
    tags: {
      reason: 'all tags must match',
      group: { cloud: 'aws', tags: { 'peerkeeper/role': 'hub', env: 'prod' } },
      want: true,
    },
    tagMismatch: {
      reason: 'one tag value differs',
      group: { cloud: 'aws', tags: { 'peerkeeper/role': 'hub', env: 'dev' } },
      want: false,
    },
    tagWildcard: {
      reason: '"*" matches any value of a present tag',
      group: { cloud: 'aws', tags: { env: '*' } },
      want: true,
    },
    tagWildcardAbsent: {
      reason: '"*" still needs the tag to exist',
      group: { cloud: 'aws', tags: { owner: '*' } },
      want: false,
    },
    nameExact: { reason: 'name matches the network name', group: { cloud: 'aws', name: 'shared-hub' }, want: true },
    idExact: { reason: 'name also matches the id', group: { cloud: 'aws', name: 'vpc-0abc' }, want: true },
    namePrefix: { reason: 'trailing * is a prefix', group: { cloud: 'aws', name: ['other', 'shared-*'] }, want: true },
    nameMiss: { reason: 'a * elsewhere is literal', group: { cloud: 'aws', name: '*-hub' }, want: false },
    labels: {
      reason: 'account labels come from the account',
      group: { cloud: 'aws', accountLabels: { team: 'network' } },
      account: awsAccount,
      want: true,
    },
    labelsNoAccount: {
      reason: 'labels cannot match without the account',
      group: { cloud: 'aws', accountLabels: { team: '*' } },
      want: false,
    },
    labelsOtherAccount: {
      reason: "another account's labels do not count",
      group: { cloud: 'aws', accountLabels: { team: 'network' } },
      account: { ...awsAccount, account: '222222222222' },
      want: false,
    },
    azureCase: {
      reason: 'Azure subscription ids and locations compare case-insensitively',
      group: { cloud: 'azure', account: 'AAAA-BBBB', region: 'WestEurope' },
      network: vnet,
      want: true,
    },
    azureVnetName: {
      reason: 'an Azure VNet is named by the last segment of its resource id',
      group: { cloud: 'azure', name: 'data-*' },
      network: vnet,
      want: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { group, network, account, want }) => {
    expect(networkInGroup(group, network ?? vpc, account)).toBe(want);
  });
});

describe('refInGroup', () => {
  const cases: Record<string, { reason: string; group: Group; want: boolean }> = {
    listedPartner: {
      reason: 'cloud, account and region can be judged without seeing the network',
      group: { cloud: 'aws', account: '111111111111', region: 'us-east-1' },
      want: true,
    },
    byId: { reason: 'name matches by id', group: { cloud: 'aws', name: 'vpc-0a*' }, want: true },
    byName: {
      reason: 'the name of an unseen network is unknown',
      group: { cloud: 'aws', name: 'shared-hub' },
      want: false,
    },
    needsTags: {
      reason: 'safety: tags of an unseen network cannot be checked, so no match',
      group: { cloud: 'aws', account: '111111111111', tags: { env: '*' } },
      want: false,
    },
    needsLabels: {
      reason: 'safety: labels of an unseen account cannot be checked',
      group: { cloud: 'aws', accountLabels: { team: 'network' } },
      want: false,
    },
    emptyTags: { reason: 'an empty tag set asks nothing', group: { cloud: 'aws', tags: {} }, want: true },
  };
  it.each(Object.entries(cases))('%s', (_name, { group, want }) => {
    expect(refInGroup(group, vpc.ref)).toBe(want);
  });

  it('never matches more than networkInGroup would for the same network (unseen is never looser)', () => {
    const group = fc.record(
      {
        cloud: fc.constant('aws' as const),
        account: fc.option(fc.constantFrom('111111111111', '222222222222'), { nil: undefined }),
        region: fc.option(fc.constantFrom('us-east-1', 'eu-west-1'), { nil: undefined }),
        tags: fc.option(fc.dictionary(fc.constantFrom('env', 'owner'), fc.constantFrom('prod', '*')), {
          nil: undefined,
        }),
        name: fc.option(fc.constantFrom('vpc-0abc', 'vpc-*', 'shared-*'), { nil: undefined }),
      },
      { requiredKeys: ['cloud'] },
    );
    fc.assert(
      fc.property(group, (g) => {
        if (refInGroup(g, vpc.ref)) expect(networkInGroup(g, vpc, awsAccount)).toBe(true);
      }),
    );
  });
});

describe('listedAccounts', () => {
  it('collects accounts named by groups and providers, per cloud', () => {
    const policy: Policy = PolicySchema.parse({
      version: 1,
      providers: {
        aws: { accounts: ['333333333333'], hubAccount: '444444444444' },
        azure: { subscriptions: ['SUB-1'] },
        gcp: { projects: ['proj-a'] },
      },
      groups: {
        hub: { cloud: 'aws', account: '111111111111' },
        partners: { cloud: 'aws', account: ['999999999999', '111111111111'] },
        tagged: { cloud: 'aws', tags: { a: 'b' } },
        data: { cloud: 'azure', account: 'Sub-2' },
      },
    });
    expect([...listedAccounts(policy, 'aws')].sort()).toEqual([
      '111111111111',
      '333333333333',
      '444444444444',
      '999999999999',
    ]);
    expect([...listedAccounts(policy, 'azure')].sort()).toEqual(['sub-1', 'sub-2']);
    expect([...listedAccounts(policy, 'gcp')]).toEqual(['proj-a']);
  });
});

describe('groupWarnings', () => {
  const text = `version: 1
groups:
  hub: { cloud: aws, tags: { peerkeeper/role: hub } }
  typo: { cloud: aws, tags: { peerkeeper/role: hbu } }
connections:
  - { name: a, topology: pair, between: [hub, typo] }
`;
  const estate: Observation = { complete: true, gaps: [], accounts: [awsAccount], networks: [vpc, vnet], peerings: [] };

  it('warns, at the group line, about a group that selects no observed network', () => {
    const { policy, source } = loadPolicy(text, 'policy.yaml');
    expect(networksInGroup(policy.groups.hub!, estate)).toEqual([vpc]);
    expect(groupWarnings(policy, estate, source)).toEqual([
      {
        file: 'policy.yaml',
        line: 4,
        column: 9,
        path: 'groups.typo',
        message: 'group "typo" selects none of the 2 observed networks',
      },
    ]);
  });

  it('says when the observation was incomplete, and works without positions', () => {
    const { policy } = loadPolicy(text, 'policy.yaml');
    const [warning] = groupWarnings(policy, { ...estate, complete: false, networks: [] });
    expect(warning).toMatchObject({ line: 0, path: 'groups.hub', message: expect.stringMatching(/incomplete/) });
  });
});
