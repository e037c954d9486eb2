import { readFileSync } from 'node:fs';
import { loadPolicy } from '../../shared/policy/load';
import { checkPolicySemantics } from '../../shared/policy/semantics';
import { PolicySchema } from '../../shared/policy/schema';

const base = {
  version: 1,
  groups: {
    spokes: { cloud: 'aws', tags: { role: 'spoke' } },
    'azure-data': { cloud: 'azure', account: '0b1f6471-1bf0-4dda-aec3-222222222222' },
  },
  transitHubs: {
    core: { cloud: 'aws', account: '111111111111', region: 'us-east-1', id: 'tgw-0abc', associate: 'tgw-rtb-0a' },
  },
  connections: [{ name: 'spokes-via-tgw', topology: 'hub-spoke', via: 'transit', hub: 'core', spokes: 'spokes' }],
};

function issues(patch: (p: typeof base & Record<string, unknown>) => unknown) {
  const raw = structuredClone(base) as typeof base & Record<string, unknown>;
  const policy = PolicySchema.parse(patch(raw) ?? raw);
  const { errors, warnings } = checkPolicySemantics(policy);
  return { errors: errors.map((e) => e.message), warnings: warnings.map((w) => w.message) };
}

describe('policy checks of transit hubs and via: transit connections', () => {
  it('a valid transit policy has no errors, and the hub is not mistaken for an unknown group', () => {
    expect(issues(() => undefined).errors).toEqual([]);
  });

  it.each([
    {
      why: 'the connection names no declared hub',
      patch: (p: typeof base) => void (p.connections[0]!.hub = 'cor'),
      error: 'unknown transit hub "cor"',
    },
    {
      why: 'spokes of another cloud cannot attach to the hub (reaches are how clouds meet)',
      patch: (p: typeof base) => void (p.connections[0]!.spokes = 'azure-data'),
      error: 'attach other clouds through reaches',
    },
    {
      why: 'a hub named like a group would make the hub-spoke ambiguous',
      patch: (p: typeof base) => void ((p.transitHubs as Record<string, unknown>).spokes = p.transitHubs.core),
      error: 'has the name of a group',
    },
    {
      why: 'an AWS hub id must be a Transit Gateway',
      patch: (p: typeof base) => void (p.transitHubs.core.id = 'vpc-0abc'),
      error: 'not a Transit Gateway id',
    },
    {
      why: "reaches name other clouds' groups, never the hub's own",
      patch: (p: typeof base) =>
        void Object.assign(p.transitHubs.core, { reaches: [{ through: 'tgw-attach-vpn', groups: ['spokes'] }] }),
      error: "is in the hub's own cloud",
    },
    {
      why: 'reaches into an unknown group',
      patch: (p: typeof base) =>
        void Object.assign(p.transitHubs.core, { reaches: [{ through: 'tgw-attach-vpn', groups: ['nowhere'] }] }),
      error: 'unknown group "nowhere"',
    },
  ])('error: $why', ({ patch, error }) => {
    expect(issues(patch).errors.join('\n')).toContain(error);
  });

  it('a group used only by a reach is used', () => {
    const { warnings } = issues(
      (p) =>
        void Object.assign(p.transitHubs.core, { reaches: [{ through: 'tgw-attach-vpn', groups: ['azure-data'] }] }),
    );
    expect(warnings.join('\n')).not.toContain('"azure-data" is used by no connection');
  });

  it('transit-only fields on a peering connection are warned about', () => {
    const { warnings } = issues((p) => {
      Object.assign(p.groups, { hub: { cloud: 'aws', account: '111111111111' } });
      p.connections = [
        {
          name: 'peered',
          topology: 'hub-spoke',
          hub: 'hub',
          spokes: 'spokes',
          attachment: { subnets: 'first-per-az' },
        } as never,
      ];
    });
    expect(warnings.join('\n')).toContain('attachment applies to via: transit only');
  });
});

describe('examples/transit.yaml', () => {
  it('is a valid policy with no warnings: a hub per cloud, the cross-cloud reach, chat approval for NCC', () => {
    const { policy, warnings } = loadPolicy(readFileSync('examples/transit.yaml', 'utf8'), 'examples/transit.yaml');
    expect(warnings).toEqual([]);
    expect(checkPolicySemantics(policy)).toEqual({ errors: [], warnings: [] });
    expect(Object.values(policy.transitHubs).map((h) => h.cloud)).toEqual(['aws', 'azure', 'gcp']);
    expect(policy.transitHubs['aws-core']!.reaches[0]!.groups).toEqual(['azure-spokes']);
  });
});
