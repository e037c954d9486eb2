import type { Plan } from '../../shared/model';
import { incompleteVerdict, unreadPartitions } from '../../shared/model/plan-completeness';
import type { CompletenessView } from '../../shared/model/plan-completeness';
import { renderPlan } from '../../shared/planner';

const gap = (message: string) => ({ severity: 'error' as const, code: 'incomplete-observation', message });

describe('unreadPartitions', () => {
  it.each<{ reason: string; plan: CompletenessView; want: { name: string; reasons: string[] }[] }>([
    {
      reason: 'a complete plan has none, whatever its problems say',
      plan: { complete: true, problems: [gap('aws:1: x')] },
      want: [],
    },
    {
      reason: 'structured partitions are used when present; complete ones are not listed',
      plan: {
        complete: false,
        problems: [gap('ignored: when partitions are given')],
        partitions: [
          { cloud: 'aws', account: '222222222222', region: 'us-east-1', complete: false, reasons: ['AccessDenied'] },
          { cloud: 'aws', account: '111111111111', region: 'us-east-1', complete: true, reasons: [] },
          { cloud: 'gcp', account: 'proj', complete: false, reasons: ['truncated page', 'throttled'] },
        ],
      },
      want: [
        { name: 'aws:222222222222:us-east-1', reasons: ['AccessDenied'] },
        { name: 'gcp:proj', reasons: ['truncated page', 'throttled'] },
      ],
    },
    {
      reason: 'gap lines name their partition before the first ": ", one entry per partition with every reason',
      plan: {
        complete: false,
        problems: [
          gap('aws:1:us-east-1: DescribeVpcs failed (CredentialsProviderError)'),
          gap('aws:1:us-east-1: DescribeVpcPeeringConnections failed'),
          gap('azure:sub: AuthorizationFailed'),
          {
            severity: 'warning',
            code: 'incomplete-observation',
            message: '2 deletion(s) withheld: the observation was incomplete',
          },
        ],
      },
      want: [
        {
          name: 'aws:1:us-east-1',
          reasons: ['DescribeVpcs failed (CredentialsProviderError)', 'DescribeVpcPeeringConnections failed'],
        },
        { name: 'azure:sub', reasons: ['AuthorizationFailed'] },
      ],
    },
    {
      reason: 'a gap line without a partition prefix is still listed',
      plan: { complete: false, problems: [gap('discovery failed')] },
      want: [{ name: 'discovery failed', reasons: [] }],
    },
  ])('$reason', ({ plan, want }) => {
    expect(unreadPartitions(plan)).toEqual(want);
  });

  it.each([
    {
      reason: 'one partition',
      problems: [gap('aws:1: x')],
      want: 'Observation INCOMPLETE: 1 partition unread; no conclusion about it.',
    },
    {
      reason: 'several',
      problems: [gap('aws:1: x'), gap('aws:2: y')],
      want: 'Observation INCOMPLETE: 2 partitions unread; no conclusion about them.',
    },
  ])('the verdict counts unread partitions: $reason', ({ problems, want }) => {
    expect(incompleteVerdict({ complete: false, problems })).toBe(want);
  });
});

describe('renderPlan verdict', () => {
  const base = { scope: { kind: 'estate' }, mode: 'observe', actions: [], held: [], partitions: [] } as unknown as Omit<
    Plan,
    'complete' | 'problems'
  >;
  it.each([
    {
      reason: 'a complete plan with nothing to do says so',
      complete: true,
      problems: [],
      says: /No changes\. The estate matches the policy\./,
      never: /INCOMPLETE: \d/,
    },
    {
      reason:
        'an incomplete plan with nothing to do draws no conclusion (issue 12: it said "No changes" during an outage)',
      complete: false,
      problems: [gap('aws:111111111111:us-east-1: DescribeVpcs failed (CredentialsProviderError)')],
      says: /Observation INCOMPLETE: 1 partition unread; no conclusion/,
      never: /No changes/,
    },
  ])('$reason', ({ complete, problems, says, never }) => {
    const text = renderPlan({ ...base, complete, problems } as Plan);
    expect(text).toMatch(says);
    expect(text).not.toMatch(never);
  });
});
