import { policyHash, quotaFindings, runDoctor, type DoctorTarget } from '../../shared/doctor/checks';
import type { Observation } from '../../shared/model';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { staticSecrets } from '../../shared/providers/secrets';
import { HUB, NOW, SPOKE_A, awsRef, estate, hubSpokePolicy, network, peering } from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });

function withPeerings(count: number): Observation {
  const spokes = Array.from({ length: count }, (_, i) =>
    network(awsRef(SPOKE_A, `vpc-s${i}`), [`10.${i + 1}.0.0/16`], { role: 'spoke' }),
  );
  return {
    complete: true,
    gaps: [],
    accounts: [],
    networks: [hub, ...spokes],
    peerings: spokes.map((s, i) => peering(`pcx-${i}`, s, hub, 'active')),
  };
}

describe('quotaFindings', () => {
  const cases: { reason: string; peerings: number; want: string[] }[] = [
    { reason: '39 of 50 AWS peerings is below 80 %', peerings: 39, want: [] },
    {
      reason: '40 of 50 is 80 %: time to ask for more (AWS raises it to 125 on request)',
      peerings: 40,
      want: ['vpc-hub: 40 of 50 peerings'],
    },
  ];
  it.each(cases)('$reason', ({ peerings, want }) => {
    expect(quotaFindings(withPeerings(peerings), 'aws')).toEqual(want);
  });
});

describe('runDoctor', () => {
  const policy = hubSpokePolicy();
  const memory = new MemoryCloud(estate([hub], []), () => NOW);
  const base: DoctorTarget = {
    cloud: 'aws',
    provider: memoryProviders(memory).aws!,
    accessFix: 'deploy the role in {account}',
  };

  const cases: { reason: string; target: DoctorTarget; check: RegExp; status: string }[] = [
    {
      reason: 'a missing event rule is a problem with its fix',
      target: {
        ...base,
        eventRoutes: async () => [{ name: 'EC2 calls', present: false, fix: 'deploy serverless.yml' }],
      },
      check: /event route EC2 calls/,
      status: 'problem',
    },
    {
      reason: 'an empty secret is a problem',
      target: { ...base, secrets: { source: staticSecrets({ token: '' }), names: ['token'], fix: 'put it' } },
      check: /secret token/,
      status: 'problem',
    },
    {
      reason: 'a deployment that records no policy hash is a problem: it predates the check',
      target: { ...base, deployedPolicyHash: async () => undefined },
      check: /deployed policy/,
      status: 'problem',
    },
    {
      reason: 'the same policy is ok',
      target: { ...base, deployedPolicyHash: async () => policyHash(policy) },
      check: /deployed policy/,
      status: 'ok',
    },
    {
      reason: 'what the deployment cannot answer is skipped, never ok',
      target: base,
      check: /deployed policy/,
      status: 'skipped',
    },
  ];
  it.each(cases)('$reason', async ({ target, check, status }) => {
    const results = await runDoctor(policy, target);
    expect(results.find((r) => check.test(r.check))?.status).toBe(status);
    if (status === 'problem') expect(results.find((r) => check.test(r.check))?.fix).toBeTruthy();
  });

  it('never prints a secret value', async () => {
    const results = await runDoctor(policy, {
      ...base,
      secrets: { source: staticSecrets({ token: 'xoxb-very-secret' }), names: ['token'], fix: 'put it' },
    });
    expect(JSON.stringify(results)).not.toContain('xoxb-very-secret');
  });
});
