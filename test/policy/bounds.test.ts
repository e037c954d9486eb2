import { PolicyError } from '../../shared/errors';
import { groupWithin, loadPolicy, type PolicyIssue, readCompiledPolicy } from '../../shared/policy';
import type { Group } from '../../shared/policy';

function issuesOf(text: string): PolicyIssue[] {
  try {
    loadPolicy(text, 'policy.yaml');
  } catch (error) {
    if (error instanceof PolicyError) return [...error.issues];
    throw error;
  }
  return [];
}

const policy = (
  approvals: string,
  extra = '',
  groups = '  hub: { cloud: aws, account: "111111111111" }\n  spokes: { cloud: aws }\n',
): string =>
  `version: 1\ngroups:\n${groups}connections:\n  - { name: a, topology: hub-spoke, hub: hub, spokes: spokes }\n${extra}approvals: ${approvals}\n`;

describe('approvals.ttl bounds', () => {
  it.each([
    { reason: 'the default 72h is inside the bounds', approvals: '{ ttl: 72h }', want: undefined },
    { reason: 'exactly one hour is the shortest allowed', approvals: '{ ttl: 60m }', want: undefined },
    {
      reason: "exactly AWS's 7 days is the longest allowed with an AWS group",
      approvals: '{ ttl: 7d }',
      want: undefined,
    },
    {
      reason: '0m would expire every approval as it opens',
      approvals: '{ ttl: 0m }',
      want: /approvals\.ttl 0m is shorter than 1h/,
    },
    { reason: '59 minutes is still under an hour', approvals: '{ ttl: 59m }', want: /shorter than 1h/ },
    {
      reason: "one hour over AWS's expiry outlives the request",
      approvals: '{ ttl: 169h }',
      want: /approvals\.ttl 169h is longer .*AWS expires a pending peering request after 7 days; use at most 7d/,
    },
    {
      reason: '999999999d is past the last date JavaScript represents (the plan threw RangeError)',
      approvals: '{ ttl: 999999999d }',
      want: /approvals\.ttl 999999999d is longer/,
    },
  ])('$reason', ({ approvals, want }) => {
    const issues = issuesOf(policy(approvals));
    if (want === undefined) {
      expect(issues).toEqual([]);
      return;
    }
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'policy.yaml', line: 7, column: 19, path: 'approvals.ttl' });
    expect(issues[0]!.message).toMatch(want);
  });

  it('is checked in the compiled policy the functions load too (a hand-edited ttl fails the cold start)', () => {
    const compiled = JSON.stringify({
      ...loadPolicy(policy('{ ttl: 72h }'), 'p.yaml').policy,
      approvals: { approvers: [], ttl: '999999999d' },
    });
    expect(() => readCompiledPolicy(compiled, 'policy.json')).toThrow(
      /policy\.json approvals\.ttl: approvals\.ttl 999999999d is longer/,
    );
  });
});

describe('azureNextHop is an IP address', () => {
  const azure = '  hub: { cloud: azure, account: sub-1 }\n  spokes: { cloud: azure }\n';
  const withHop = (hop: string) =>
    `version: 1\ngroups:\n${azure}connections:\n  - { name: a, topology: hub-spoke, hub: hub, spokes: spokes, routes: { azureNextHop: "${hop}" } }\n`;
  it.each([
    { reason: 'an IPv4 address', hop: '10.0.0.4', want: undefined },
    { reason: 'an IPv6 address', hop: 'fd00:10::4', want: undefined },
    {
      reason: "an octet above 255 with a prefix (issue 12's example)",
      hop: '10.0.0.300/33',
      want: /"10\.0\.0\.300\/33" is not an IP address \(IPv4 or IPv6\): write the address alone/,
    },
    {
      reason: 'an octet above 255',
      hop: '10.0.0.300',
      want: /"10\.0\.0\.300" is not an IP address .*octet 300 is above 255/,
    },
    { reason: 'a leading zero is ambiguous (octal to some tools)', hop: '010.0.0.4', want: /leading zeros/ },
    { reason: 'a name is not an address', hop: 'firewall', want: /not an IP address/ },
    { reason: 'a bad IPv6 group', hop: 'fd00::g', want: /not an IP address/ },
  ])('$reason', ({ hop, want }) => {
    const issues = issuesOf(withHop(hop));
    if (want === undefined) {
      expect(issues).toEqual([]);
      return;
    }
    expect(issues).toEqual([
      expect.objectContaining({
        line: 6,
        path: 'connections[0].routes.azureNextHop',
        message: expect.stringMatching(want),
      }),
    ]);
  });
});

describe('deny rules that remove every pair of a connection', () => {
  it.each([
    {
      reason: 'a deny of the whole cloud covers a hub-spoke connection inside it',
      groups:
        '  hub: { cloud: aws, account: "111111111111" }\n  spokes: { cloud: aws, tags: { role: spoke } }\n  everything: { cloud: aws }\n',
      deny: 'deny:\n  - { between: [everything, everything], reason: freeze }\n',
      want: [
        /deny\[0\] \(everything ⇄ everything\) removes every pair of connection "a" \(hub ⇄ spokes, connections\[0\]\)/,
      ],
    },
    {
      reason: 'either orientation of the deny counts',
      groups:
        '  hub: { cloud: aws, account: "111111111111" }\n  spokes: { cloud: aws, account: ["2", "3"] }\n  wide: { cloud: aws, account: ["1", "2", "3", "4"] }\n  hubs: { cloud: aws, account: ["111111111111"] }\n',
      deny: 'deny:\n  - { between: [wide, hubs], reason: r }\n',
      want: [/deny\[0\] \(wide ⇄ hubs\) removes every pair of connection "a"/],
    },
    {
      reason: 'a deny narrower than the connection leaves pairs to peer',
      groups:
        '  hub: { cloud: aws, account: "111111111111" }\n  spokes: { cloud: aws }\n  prod: { cloud: aws, tags: { env: prod } }\n',
      deny: 'deny:\n  - { between: [prod, hub], reason: r }\n',
      want: [],
    },
    {
      reason: 'a deny in another cloud removes nothing here',
      groups: '  hub: { cloud: aws, account: "111111111111" }\n  spokes: { cloud: aws }\n  data: { cloud: azure }\n',
      deny: 'deny:\n  - { between: [data, data], reason: r }\n',
      want: [],
    },
  ])("warns, with the deny rule's line: $reason", ({ groups, deny, want }) => {
    const loaded = loadPolicy(policy('{ ttl: 72h }', deny, groups), 'policy.yaml');
    const denyWarnings = loaded.warnings.filter((w) => w.path.startsWith('deny['));
    expect(denyWarnings.map((w) => w.message)).toEqual(want.map((w) => expect.stringMatching(w)));
    for (const w of denyWarnings) expect(w.line).toBeGreaterThan(0);
  });

  const g = (group: Partial<Group>): Group => ({ cloud: 'aws', ...group });
  it.each([
    { reason: 'a group is within itself', inner: g({ tags: { a: 'b' } }), outer: g({ tags: { a: 'b' } }), want: true },
    {
      reason: 'more tags select fewer networks',
      inner: g({ tags: { a: 'b', c: 'd' } }),
      outer: g({ tags: { a: 'b' } }),
      want: true,
    },
    {
      reason: 'a "*" tag value admits any value of that key',
      inner: g({ tags: { a: 'b' } }),
      outer: g({ tags: { a: '*' } }),
      want: true,
    },
    {
      reason: 'a "*" inside is wider than one value outside',
      inner: g({ tags: { a: '*' } }),
      outer: g({ tags: { a: 'b' } }),
      want: false,
    },
    {
      reason: 'an account list within a longer one',
      inner: g({ account: ['1'] }),
      outer: g({ account: ['1', '2'] }),
      want: true,
    },
    { reason: 'any account is not within a list', inner: g({}), outer: g({ account: ['1'] }), want: false },
    {
      reason: 'a longer name prefix is within a shorter one',
      inner: g({ name: 'app-pay*' }),
      outer: g({ name: 'app*' }),
      want: true,
    },
    {
      reason: 'a prefix is not within one exact name',
      inner: g({ name: 'app*' }),
      outer: g({ name: 'app' }),
      want: false,
    },
    {
      reason: 'Azure ids compare without case',
      inner: g({ cloud: 'azure', account: 'ABC' }),
      outer: g({ cloud: 'azure', account: ['abc'] }),
      want: true,
    },
    { reason: 'another cloud is never within', inner: g({ cloud: 'gcp' }), outer: g({}), want: false },
  ])('groupWithin: $reason', ({ inner, outer, want }) => {
    expect(groupWithin(inner, outer)).toBe(want);
  });
});
