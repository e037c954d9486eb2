import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { buildTopology, renderHtml, renderMermaid, renderSvg, xml, type Topology } from '../../shared/graph';
import { networkKey } from '../../shared/model';
import { EstateSchema, type Estate, type Observation } from '../../shared/model';
import { planScope } from '../../shared/planner';
import { loadPolicy } from '../../shared/policy';
import { estateArb, policyArb } from '../support/random-estate';

const policy = loadPolicy(readFileSync('examples/policy.yaml', 'utf8'), 'examples/policy.yaml').policy;
const estate: Estate = EstateSchema.parse(JSON.parse(readFileSync('examples/estate.json', 'utf8')));
const now = new Date(estate.observedAt);

function topologyOf(observation: Observation, approvals = new Map<string, string>()): Topology {
  return buildTopology({ observation, plan: planScope({ policy, observation, now }), approvals });
}

describe('buildTopology', () => {
  const topology = topologyOf(estate);
  const edge = (id: string) => topology.edges.find((e) => e.id === id);

  const cases: Record<string, { reason: string; check: () => void }> = {
    'groups networks by cloud, then account': {
      reason: 'the picture is read cloud by cloud, account by account',
      check: () => {
        expect(topology.accounts.map((a) => a.cloud)).toEqual([...topology.accounts.map((a) => a.cloud)].sort());
        const observed = new Set(estate.networks.map((n) => networkKey(n.ref)));
        const drawn = topology.accounts.flatMap((a) => a.nodes.map((n) => n.key));
        for (const key of observed) expect(drawn).toContain(key);
      },
    },
    'keeps every live peering with its state': {
      reason: 'the state of each peering is the first thing an operator looks for',
      check: () => {
        for (const p of estate.peerings.filter((x) => x.state !== 'deleted')) expect(edge(p.id)?.state).toBe(p.state);
      },
    },
    "marks a stranger's request with the reject the plan holds": {
      reason: "drift comes from planScope's actions, not from a second opinion",
      check: () => expect(edge('pcx-0dddd0000stranger')?.drift).toContain('reject-peering'),
    },
    "marks the partner's request as waiting for a human": {
      reason: 'pending approvals are highlighted',
      check: () => expect(edge('pcx-0bbbb0000partner')?.pendingApproval).toBe(true),
    },
    'draws a peering the plan would create as planned': {
      reason: 'a missing peering is drift too, and must be visible',
      check: () =>
        expect(topology.edges.some((e) => e.state === 'planned' && e.drift.includes('create-peering'))).toBe(true),
    },
    'counts route drift on the network whose tables change': {
      reason: 'route actions have no edge of their own',
      check: () => expect(topology.accounts.flatMap((a) => a.nodes).some((n) => n.routeDrift > 0)).toBe(true),
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => c.check());

  it('is converged (no drift, no changes) for an estate with nothing to do', () => {
    const empty = buildTopology({
      observation: { ...estate, peerings: [] },
      plan: {
        complete: true,
        scope: { kind: 'estate' },
        mode: 'enforce',
        actions: [],
        held: [],
        partitions: [],
        problems: [],
      },
    });
    expect(empty.changes).toBe(0);
    expect(empty.edges).toEqual([]);
  });

  it('keeps every live peering as an edge with its state and is deterministic, for random estates (property)', () => {
    fc.assert(
      fc.property(estateArb, policyArb, (random, randomPolicy) => {
        const plan = planScope({ policy: randomPolicy, observation: random, now });
        const a = buildTopology({ observation: random, plan });
        expect(buildTopology({ observation: random, plan })).toEqual(a);
        for (const p of random.peerings.filter((x) => x.state !== 'deleted'))
          expect(a.edges.find((e) => e.id === p.id && e.cloud === p.cloud)?.state).toBe(p.state);
        const nodes = new Set(a.accounts.flatMap((acc) => acc.nodes.map((n) => n.key)));
        for (const e of a.edges) expect(nodes.has(e.from) && nodes.has(e.to)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('renderMermaid', () => {
  const text = renderMermaid(topologyOf(estate));

  it('draws a flowchart with a subgraph per cloud and per account', () => {
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    for (const title of ['AWS', 'Azure', 'Google Cloud']) expect(text).toContain(`["${title}"]`);
    expect(text).toContain('network-hub (111111111111)');
  });

  it('has a node per network and an edge per peering, labelled with state and drift', () => {
    const nodes = text.match(/^ {6}n\d+\[/gm) ?? [];
    // Observed networks, plus the far side of requests from accounts peerkeeper cannot observe.
    const known = new Set([
      ...estate.networks.map((n) => networkKey(n.ref)),
      ...estate.peerings.flatMap((p) => [networkKey(p.requester), networkKey(p.accepter)]),
    ]);
    expect(nodes).toHaveLength(known.size);
    expect(text).toMatch(/-\.-\|"requested · unmanaged · drift: reject-peering"\|/);
    expect(text).toMatch(/---\|"requested · partner-link · approval pending"\|/);
    expect(text).toMatch(/---\|"active · spokes-to-hub"\|/);
  });

  it('defines and uses the drift and pending classes, and styles every edge', () => {
    expect(text).toMatch(/classDef drift /);
    expect(text).toMatch(/classDef pending /);
    expect(text).toMatch(/^ {2}class [n\d,]+ drift$/m);
    expect(text).toMatch(/^ {2}class [n\d,]+ pending$/m);
    const edges = (text.match(/(---|-\.-)\|/g) ?? []).length;
    expect((text.match(/^ {2}linkStyle \d+ /gm) ?? []).length).toBe(edges);
  });

  it('escapes quotes and angle brackets in names', () => {
    const weird = {
      ...estate,
      networks: estate.networks.map((n, i) => (i === 0 ? { ...n, name: 'a "quoted" <name>' } : n)),
    };
    const out = renderMermaid(topologyOf(weird));
    expect(out).toContain('a #quot;quoted#quot; #lt;name#gt;');
    expect(out).not.toContain('"quoted"');
  });
});

describe('renderHtml / renderSvg', () => {
  const topology = topologyOf(estate, new Map([['pcx-0bbbb0000partner', 'pending']]));
  const html = renderHtml(topology);

  it('is a self-contained page: an inline <svg>, no script, no external reference', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).not.toMatch(/<script/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/(https?:)?\/\/[a-z]/i);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
  });

  it("carries each peering's id and state on its edge, and highlights drift and pending approvals", () => {
    const svg = renderSvg(topology);
    for (const e of topology.edges) expect(svg).toContain(`data-peering="${xml(e.id)}" data-state="${e.state}"`);
    expect(svg).toMatch(/class="edge state-requested unmanaged drift" data-peering="pcx-0dddd0000stranger"/);
    expect(svg).toMatch(/class="edge state-requested pending" data-peering="pcx-0bbbb0000partner"/);
    expect(svg).toMatch(/class="network drift"/);
    expect(svg).toContain(`data-changes="${topology.changes}"`);
  });

  const cases: Record<string, { reason: string; check: (svg: string) => void }> = {
    'labels every edge with its state and connection': {
      reason: 'a line without a label cannot say whether it is up, or which connection wants it (issue 16)',
      check: (svg) => {
        for (const e of topology.edges)
          expect(svg).toMatch(
            new RegExp(`data-peering="${xml(e.id)}"[^]*?<text class="label"[^>]*><tspan[^>]*>${e.state}`),
          );
        expect(svg).toMatch(/<tspan[^>]*>active · spokes-to-hub<\/tspan>/);
      },
    },
    'draws unmanaged links grey and dotted, and says so': {
      reason: 'a peering peerkeeper leaves alone must not look like one it keeps',
      check: (svg) => {
        const unmanaged = topology.edges.filter((e) => !e.managed);
        expect(unmanaged.length).toBeGreaterThan(0);
        for (const e of unmanaged)
          expect(svg).toMatch(
            new RegExp(
              `data-peering="${xml(e.id)}" data-state="${e.state}" data-managed="false">[^]*?stroke="#78909c" stroke-dasharray="2 3"`,
            ),
          );
        expect(svg).toMatch(/<tspan[^>]*>active · unmanaged<\/tspan>/);
      },
    },
    'shows the CIDRs of networks peerkeeper does not observe': {
      reason: "a partner's range is what an approver checks for overlap, and the peering announced it",
      check: (svg) => {
        const partner = topology.accounts.flatMap((a) => a.nodes).find((n) => n.account === '999999999999');
        expect(partner?.external).toBe(true);
        expect(partner?.cidrs.length).toBeGreaterThan(0);
        expect(svg).toContain(`external · ${partner!.cidrs.join(', ')}`);
      },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => c.check(renderSvg(topology)));

  it("keeps each cloud's edges inside its own column, for the example and for random estates (property)", () => {
    const columnsOf = (svg: string) =>
      [...svg.matchAll(/<text x="(\d+)" y="28" class="cloud">/g)].map((m) => Number(m[1]));
    const check = (t: Topology): number => {
      let drawn = 0;
      const svg = renderSvg(t);
      const columns = columnsOf(svg);
      const clouds = [...new Set(t.accounts.map((a) => a.cloud))];
      for (const e of t.edges) {
        const group = new RegExp(
          `data-peering="${xml(e.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*><title>[^<]*</title>(?:<path[^>]*class="halo"/>)?<path d="M([\\d.]+),[\\d.]+ C([\\d.]+),[\\d.]+ ([\\d.]+),[\\d.]+ ([\\d.]+)`,
        ).exec(svg);
        if (!group) continue;
        drawn += 1;
        const xs = group.slice(1, 5).map(Number);
        const left = columns[clouds.indexOf(e.cloud)]!;
        const right = columns[clouds.indexOf(e.cloud) + 1] ?? Number.POSITIVE_INFINITY;
        // A cubic stays inside the hull of its control points.
        expect(Math.min(...xs)).toBeGreaterThanOrEqual(left);
        expect(Math.max(...xs)).toBeLessThan(right - 20);
      }
      return drawn;
    };
    expect(check(topology)).toBe(topology.edges.length);
    fc.assert(
      fc.property(estateArb, policyArb, (random, randomPolicy) => {
        check(
          buildTopology({ observation: random, plan: planScope({ policy: randomPolicy, observation: random, now }) }),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('escapes text so a hostile name cannot inject markup', () => {
    const hostile = {
      ...estate,
      networks: estate.networks.map((n, i) => (i === 0 ? { ...n, name: '<script>alert(1)</script>' } : n)),
    };
    const out = renderHtml(topologyOf(hostile));
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
  });
});
