import fc from 'fast-check';
import { stringify } from 'yaml';
import { PolicyError } from '../../shared/errors';
import { loadPolicy, PolicySchema, policyJsonSchema, type PolicyIssue, renderPolicyIssues } from '../../shared/policy';

function issuesOf(text: string): PolicyIssue[] {
  try {
    loadPolicy(text, 'policy.yaml');
  } catch (error) {
    if (error instanceof PolicyError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the policy to fail');
}

const GOOD = `version: 1
groups:
  hub: { cloud: aws, account: "111111111111", region: us-east-1, tags: { peerkeeper/role: hub } }
  spokes: { cloud: aws, tags: { peerkeeper/role: spoke } }
  partners: { cloud: aws, account: ["999999999999"] }
connections:
  - { name: spokes-to-hub, topology: hub-spoke, hub: hub, spokes: spokes }
  - { name: partner-link, topology: pair, between: [partners, hub], approval: chat }
deny:
  - { between: [spokes, spokes], reason: "spokes talk through the hub" }
approvals: { approvers: [U012AB3CD] }
`;

describe('loadPolicy', () => {
  it('loads a good policy and applies the defaults', () => {
    const { policy, warnings } = loadPolicy(GOOD, 'policy.yaml');
    expect(warnings).toEqual([]);
    expect(policy.mode).toBe('enforce');
    expect(policy.unmatchedRequests).toBe('reject');
    expect(policy.approvals).toEqual({ approvers: ['U012AB3CD'], ttl: '72h' });
    expect(policy.connections[0]).toMatchObject({ approval: 'auto', routes: { tables: 'all' }, options: {} });
    expect(policy.limits.maxChangesPerRun).toBe(50);
    expect(policy.groups.hub?.tags).toEqual({ 'peerkeeper/role': 'hub' });
  });

  it('reports every schema problem at once, each on its own line and column', () => {
    const text = [
      'version: 1', //                                                     1
      'groups:', //                                                        2
      '  hub: { cloud: aws, account: 012345678901 }', //                   3
      '  data: { cloud: azur, colour: blue }', //                          4
      'connections:', //                                                   5
      '  - name: Hub-Link', //                                             6
      '    topology: hub-spoke', //                                        7
      '    hub: hub', //                                                   8
      '  - { name: m, topology: star, members: data }', //                 9
      'approvals:', //                                                     10
      '  ttl: 3 weeks', //                                                 11
    ].join('\n');
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [3, 31, 'groups.hub.account'],
      [4, 18, 'groups.data.cloud'],
      [4, 24, 'groups.data.colour'],
      [6, 5, 'connections[0].spokes'],
      [6, 11, 'connections[0].name'],
      [9, 26, 'connections[1].topology'],
      [11, 8, 'approvals.ttl'],
    ]);
    expect(issues.every((i) => i.file === 'policy.yaml')).toBe(true);
    expect(issues[0]!.message).toContain('write it in quotes ("012345678901")');
    expect(issues[2]!.message).toBe('unknown field "colour"');
    expect(issues[3]!.message).toBe('required field "spokes" is missing');
  });

  it('reports YAML syntax errors the same way, with positions', () => {
    const issues = issuesOf('version: 1\ngroups:\n  a: { cloud: aws\nb: 1\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: 'policy.yaml', line: 4, path: '' });
    expect(issuesOf('version: 1\nversion: 1\ngroups: {}\n')[0]).toMatchObject({
      line: 2,
      column: 1,
      message: expect.stringMatching(/unique/),
    });
  });

  it('points a missing top-level field at the start of the file', () => {
    expect(issuesOf('groups: {}\n')).toEqual([
      { file: 'policy.yaml', line: 1, column: 1, path: 'version', message: 'required field "version" is missing' },
    ]);
    expect(issuesOf('')).toEqual([
      { file: 'policy.yaml', line: 1, column: 1, path: '', message: 'expected object, received null' },
    ]);
  });

  const base = (body: string): string => `version: 1
groups:
  hub: { cloud: aws, account: "111111111111" }
  spokes: { cloud: aws }
  data: { cloud: azure }
${body}`;
  const semantic: Record<string, { reason: string; body: string; want: [number, string, RegExp][] }> = {
    unknownGroup: {
      reason: 'a connection must name a defined group; suggest the near miss',
      body: 'connections:\n  - { name: a, topology: hub-spoke, hub: hubb, spokes: spokes }\n',
      want: [[7, 'connections[0].hub', /unknown group "hubb" \(did you mean "hub"\?\)/]],
    },
    unknownDenyGroup: {
      reason: 'a deny must name defined groups too',
      body: 'connections:\n  - { name: a, topology: mesh, members: spokes }\ndeny:\n  - { between: [hub, nope], reason: x }\n',
      want: [[9, 'deny[0].between[1]', /unknown group "nope"/]],
    },
    connectedAndDenied: {
      reason: 'a pair both connected and denied is a contradiction; name both (deny order does not matter)',
      body: 'connections:\n  - { name: a, topology: hub-spoke, hub: hub, spokes: spokes }\ndeny:\n  - { between: [spokes, hub], reason: "no transit" }\n',
      want: [
        [7, 'connections[0]', /connection "a" connects groups "hub" and "spokes", which deny\[0\] forbids: no transit/],
      ],
    },
    meshDenied: {
      reason: 'a mesh connects its group with itself',
      body: 'connections:\n  - { name: a, topology: mesh, members: spokes }\n  - { name: b, topology: pair, between: [hub, data] }\ndeny:\n  - { between: [spokes, spokes], reason: r }\n',
      want: [
        [7, 'connections[0]', /deny\[0\]/],
        [8, 'connections[1]', /joins aws group "hub" with azure group "data"/],
      ],
    },
    duplicateName: {
      reason: 'connection names tag the peerings they create, so they must be unique',
      body: 'connections:\n  - { name: a, topology: mesh, members: spokes }\n  - { name: a, topology: mesh, members: data }\n',
      want: [[8, 'connections[1].name', /duplicate connection name "a" \(also connections\[0\]\)/]],
    },
    crossCloudHubSpoke: {
      reason: 'native peering is single-cloud',
      body: 'connections:\n  - { name: a, topology: hub-spoke, hub: hub, spokes: data }\n',
      want: [[7, 'connections[0]', /joins aws group "hub" with azure group "data"/]],
    },
    chatWithoutApprovers: {
      reason: 'chat approval needs someone to ask',
      body: 'connections:\n  - { name: a, topology: mesh, members: spokes, approval: chat }\n',
      want: [[7, 'connections[0].approval', /approvers is empty/]],
    },
    unmatchedChat: {
      reason: 'unmatched requests sent to chat need approvers too',
      body: 'connections:\n  - { name: a, topology: mesh, members: spokes }\nunmatchedRequests: chat\n',
      want: [[8, 'unmatchedRequests', /nobody could answer/]],
    },
  };
  it.each(Object.entries(semantic))('semantic check: %s', (_name, { body, want }) => {
    const issues = issuesOf(base(body));
    expect(issues.map((i) => [i.line, i.path])).toEqual(want.map(([line, path]) => [line, path]));
    issues.forEach((issue, i) => expect(issue.message).toMatch(want[i]![2]));
  });

  it('returns warnings without failing', () => {
    const { warnings } = loadPolicy(
      base(`connections:
  - { name: a, topology: mesh, members: spokes, routes: { azureNextHop: 10.0.0.4 } }
  - { name: g, topology: mesh, members: g }
`).replace('groups:\n', 'groups:\n  g: { cloud: gcp, region: us-east1, tags: { a: b } }\n'),
      'p.yaml',
    );
    expect(warnings.map((w) => `${w.line} ${w.path}`)).toEqual([
      '3 groups.g.region',
      '3 groups.g.tags',
      '4 groups.hub',
      '6 groups.data',
      '8 connections[0].routes.azureNextHop',
    ]);
  });
});

describe('renderPolicyIssues', () => {
  it('writes one line per issue in file order', () => {
    expect(
      renderPolicyIssues([
        { file: 'policy.yaml', line: 12, column: 5, path: 'connections[0].hub', message: 'unknown group "hubb"' },
        { file: 'policy.yaml', line: 2, column: 1, path: '', message: 'bad YAML' },
        { file: 'policy.yaml', line: 0, column: 0, path: 'groups.x', message: 'no position' },
      ]),
    ).toBe(
      'policy.yaml groups.x: no position\npolicy.yaml:2:1 bad YAML\npolicy.yaml:12:5 connections[0].hub: unknown group "hubb"',
    );
  });
});

describe('policyJsonSchema', () => {
  it('describes the input form with an id and title', () => {
    const schema = policyJsonSchema() as {
      $id: string;
      title: string;
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.$id).toBe('urn:peerkeeper:policy:v1');
    expect(schema.title).toBe('peerkeeper policy');
    // Input form: fields with defaults are optional, so only version and groups are required.
    expect(schema.required.sort()).toEqual(['groups', 'version']);
    expect(schema.properties.mode?.description).toMatch(/observe/);
  });
});

describe('loadPolicy fuzz', () => {
  const loadsOrPolicyError = (text: string): void => {
    try {
      const { policy } = loadPolicy(text, 'fuzz.yaml');
      expect(PolicySchema.safeParse(policy).success).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      for (const issue of (error as PolicyError).issues) {
        expect(issue.line).toBeGreaterThanOrEqual(1);
        expect(issue.column).toBeGreaterThanOrEqual(1);
      }
    }
  };

  it('arbitrary text loads or throws PolicyError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), loadsOrPolicyError), { numRuns: 1500 });
    const yamlish = fc.string({ unit: fc.constantFrom(...'ab1: -[]{},&*!|>\'"#\n  ?%@`'.split('')), maxLength: 80 });
    fc.assert(fc.property(yamlish, loadsOrPolicyError), { numRuns: 1500 });
  });

  it('arbitrary JSON-ish objects, and mutations of a good policy, load or throw PolicyError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => loadsOrPolicyError(stringify(value))),
      { numRuns: 500 },
    );
    const good = loadPolicy(GOOD, 'p.yaml').policy;
    const mutated = fc
      .record({
        key: fc.constantFrom('groups', 'connections', 'deny', 'approvals', 'mode', 'version', 'providers', 'limits'),
        value: fc.jsonValue({ maxDepth: 3 }),
      })
      .map(({ key, value }) => stringify({ ...good, [key]: value }));
    fc.assert(fc.property(mutated, loadsOrPolicyError), { numRuns: 500 });
  });
});
