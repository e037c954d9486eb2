import type { Account, Network, OrganizationUnit } from '../../shared/model';
import {
  checkPolicySemantics,
  GroupSchema,
  groupWithin,
  networkInGroup,
  organizationSelection,
  PolicySchema,
  refInGroup,
  type Group,
} from '../../shared/policy';

const ROOT: OrganizationUnit = { id: 'r-ab12', name: 'Root' };
const WORKLOADS: OrganizationUnit = { id: 'ou-ab12-11111111', name: 'Workloads' };
const PROD: OrganizationUnit = { id: 'ou-ab12-22222222', name: 'Prod' };
const SANDBOX: OrganizationUnit = { id: 'ou-ab12-33333333', name: 'Sandbox' };

const aws = (ancestors?: OrganizationUnit[]): Account => ({
  cloud: 'aws',
  account: '333333333333',
  labels: {},
  ...(ancestors ? { ancestors } : {}),
});
const awsNet: Network = {
  ref: { cloud: 'aws', account: '333333333333', region: 'us-east-1', id: 'vpc-1' },
  cidrs: ['10.1.0.0/16'],
  tags: { role: 'spoke' },
  routeTables: [],
};
const azureNet: Network = {
  ref: {
    cloud: 'azure',
    account: 'aaaaaaaa-0000-4000-8000-000000000001',
    region: 'westeurope',
    id: '/subscriptions/aaaaaaaa-0000-4000-8000-000000000001/resourcegroups/net/providers/microsoft.network/virtualnetworks/data',
  },
  cidrs: ['10.2.0.0/16'],
  tags: {},
  routeTables: [],
};
const gcpNet: Network = {
  ref: { cloud: 'gcp', account: 'app-prod', region: 'global', id: 'app' },
  cidrs: ['10.3.0.0/20'],
  tags: {},
  routeTables: [],
};
const group = (g: Record<string, unknown>): Group => GroupSchema.parse(g);

describe('groups that select by organization structure', () => {
  const cases: Record<
    string,
    { reason: string; group: Group; network: Network; account: Account | undefined; want: boolean }
  > = {
    'OU path, nested OU': {
      reason: 'Workloads includes accounts in Workloads/Prod',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS, PROD]),
      want: true,
    },
    'OU path with slashes': {
      reason: 'leading and trailing slashes are not part of the path',
      group: group({ cloud: 'aws', organizationalUnit: '/Workloads/Prod/' }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS, PROD]),
      want: true,
    },
    'OU path of a child': {
      reason: 'Workloads/Prod does not include an account directly in Workloads',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads/Prod' }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS]),
      want: false,
    },
    'OU path is by name from the root': {
      reason: '"Prod" alone is a top-level OU named Prod, not Workloads/Prod',
      group: group({ cloud: 'aws', organizationalUnit: 'Prod' }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS, PROD]),
      want: false,
    },
    'OU id of an ancestor': {
      reason: 'an ou-… id includes nested OUs',
      group: group({ cloud: 'aws', organizationalUnit: WORKLOADS.id }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS, PROD]),
      want: true,
    },
    'OU id elsewhere': {
      reason: 'an account in Sandbox is not in Workloads',
      group: group({ cloud: 'aws', organizationalUnit: WORKLOADS.id }),
      network: awsNet,
      account: aws([ROOT, SANDBOX]),
      want: false,
    },
    'root id': {
      reason: 'r-… selects the whole organization',
      group: group({ cloud: 'aws', organizationalUnit: ROOT.id }),
      network: awsNet,
      account: aws([ROOT]),
      want: true,
    },
    'several OUs': {
      reason: 'a list matches any of its OUs',
      group: group({ cloud: 'aws', organizationalUnit: ['Sandbox', PROD.id] }),
      network: awsNet,
      account: aws([ROOT, SANDBOX]),
      want: true,
    },
    'OU and tags': {
      reason: 'every field narrows: the tag must match too',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads', tags: { role: 'hub' } }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS]),
      want: false,
    },
    'OU and account list': {
      reason: 'an account list narrows an OU group',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads', account: ['444444444444'] }),
      network: awsNet,
      account: aws([ROOT, WORKLOADS]),
      want: false,
    },
    'undiscovered account': {
      reason: 'membership is proven by discovery, never assumed',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      network: awsNet,
      account: aws(),
      want: false,
    },
    'no account at all': {
      reason: 'without the account nothing proves the OU',
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      network: awsNet,
      account: undefined,
      want: false,
    },
    "another account's ancestry": {
      reason: "the account must be the network's own",
      group: group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      network: awsNet,
      account: { ...aws([ROOT, WORKLOADS]), account: '999999999999' },
      want: false,
    },
    'management group, nested': {
      reason: 'corp includes subscriptions of corp-online (names are case-insensitive)',
      group: group({ cloud: 'azure', managementGroup: 'Corp' }),
      network: azureNet,
      account: {
        cloud: 'azure',
        account: azureNet.ref.account,
        labels: {},
        ancestors: [{ id: 'corp' }, { id: 'corp-online' }],
      },
      want: true,
    },
    'management group by full id': {
      reason: 'a full ARM id names the same group',
      group: group({ cloud: 'azure', managementGroup: '/providers/Microsoft.Management/managementGroups/corp-online' }),
      network: azureNet,
      account: {
        cloud: 'azure',
        account: azureNet.ref.account,
        labels: {},
        ancestors: [{ id: 'corp' }, { id: 'corp-online' }],
      },
      want: true,
    },
    'other management group': {
      reason: 'sandbox is not corp',
      group: group({ cloud: 'azure', managementGroup: 'corp' }),
      network: azureNet,
      account: { cloud: 'azure', account: azureNet.ref.account, labels: {}, ancestors: [{ id: 'sandbox' }] },
      want: false,
    },
    'folder, nested': {
      reason: 'folders/10 includes projects of its sub-folders; a bare number is a folder id',
      group: group({ cloud: 'gcp', folder: '10' }),
      network: gcpNet,
      account: {
        cloud: 'gcp',
        account: 'app-prod',
        labels: {},
        ancestors: [{ id: 'organizations/1' }, { id: 'folders/10' }, { id: 'folders/11' }],
      },
      want: true,
    },
    'folder and organization': {
      reason: 'both narrow: the folder must sit in that organization',
      group: group({ cloud: 'gcp', folder: 'folders/11', organization: '2' }),
      network: gcpNet,
      account: {
        cloud: 'gcp',
        account: 'app-prod',
        labels: {},
        ancestors: [{ id: 'organizations/1' }, { id: 'folders/11' }],
      },
      want: false,
    },
    organization: {
      reason: 'every project under the organization',
      group: group({ cloud: 'gcp', organization: 'organizations/1' }),
      network: gcpNet,
      account: { cloud: 'gcp', account: 'app-prod', labels: {}, ancestors: [{ id: 'organizations/1' }] },
      want: true,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { group: g, network, account, want }) => {
    expect(networkInGroup(g, network, account)).toBe(want);
  });

  it('never matches a network it cannot observe (a partner ref proves no OU)', () => {
    expect(refInGroup(group({ cloud: 'aws', organizationalUnit: ROOT.id }), awsNet.ref)).toBe(false);
  });

  it('tells discovery which containers to walk, per cloud', () => {
    const policy = PolicySchema.parse({
      version: 1,
      groups: {
        a: { cloud: 'aws', organizationalUnit: ['Workloads/Prod', WORKLOADS.id] },
        b: { cloud: 'aws', organizationalUnit: 'Workloads/Prod' },
        c: { cloud: 'azure', managementGroup: 'Corp' },
        d: { cloud: 'gcp', folder: '10', organization: '1' },
      },
    });
    expect(organizationSelection(policy, 'aws')).toEqual({ ids: [WORKLOADS.id], paths: ['Workloads/Prod'] });
    expect(organizationSelection(policy, 'azure')).toEqual({ ids: ['corp'], paths: [] });
    expect(organizationSelection(policy, 'gcp')).toEqual({ ids: ['folders/10', 'organizations/1'], paths: [] });
  });

  it('refuses a structure field of another cloud', () => {
    const policy = PolicySchema.parse({
      version: 1,
      groups: { g: { cloud: 'gcp', organizationalUnit: 'Workloads' } },
      connections: [{ name: 'm', topology: 'mesh', members: 'g' }],
    });
    expect(checkPolicySemantics(policy).errors).toEqual([
      {
        path: ['groups', 'g', 'organizationalUnit'],
        message: 'organizationalUnit selects aws accounts; group "g" is a gcp group',
      },
    ]);
  });

  it('proves one group within another only for the same containers (deny coverage stays sound)', () => {
    expect(
      groupWithin(
        group({ cloud: 'aws', organizationalUnit: 'Workloads', tags: { role: 'spoke' } }),
        group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      ),
    ).toBe(true);
    expect(
      groupWithin(
        group({ cloud: 'aws', organizationalUnit: 'Workloads/Prod' }),
        group({ cloud: 'aws', organizationalUnit: 'Workloads' }),
      ),
    ).toBe(false);
    expect(groupWithin(group({ cloud: 'aws' }), group({ cloud: 'aws', organizationalUnit: 'Workloads' }))).toBe(false);
  });
});
