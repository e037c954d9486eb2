import fc from 'fast-check';
import {
  approvalExpiry,
  approvalId,
  AWS_PENDING_PEERING_LIFETIME_MS,
  isPastExpiry,
} from '../../shared/approvals/record';

describe('approvalId', () => {
  it('maps the same peering to the same id and different peerings to different ids', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('aws', 'azure', 'gcp' as const),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (cloud, a, b) => {
          expect(approvalId(cloud, a)).toBe(approvalId(cloud, a));
          expect(approvalId(cloud, a)).toMatch(/^(aws|azure|gcp)-[0-9a-f]{12}$/);
          if (a !== b) expect(approvalId(cloud, a)).not.toBe(approvalId(cloud, b));
        },
      ),
    );
  });

  it('keeps clouds apart for the same peering id', () => {
    expect(approvalId('azure', 'p1')).not.toBe(approvalId('gcp', 'p1'));
  });
});

describe('approvalExpiry', () => {
  const now = new Date('2024-05-01T00:00:00.000Z');
  const cases: { reason: string; ttlMs: number; cloud?: string; want: string }[] = [
    {
      reason: 'no cloud expiry (Azure, GCP): the policy ttl alone',
      ttlMs: 72 * 3_600_000,
      want: '2024-05-04T00:00:00.000Z',
    },
    {
      reason: 'ttl ends well before the cloud expiry: ttl wins',
      ttlMs: 24 * 3_600_000,
      cloud: '2024-05-08T00:00:00.000Z',
      want: '2024-05-02T00:00:00.000Z',
    },
    {
      reason: 'AWS request made 6.5 days ago: one hour before the 7-day expiry',
      ttlMs: 72 * 3_600_000,
      cloud: new Date(now.getTime() - 6.5 * 86_400_000 + AWS_PENDING_PEERING_LIFETIME_MS).toISOString(),
      want: '2024-05-01T11:00:00.000Z',
    },
    {
      reason: 'ttl equal to the cloud expiry still keeps the one-hour margin',
      ttlMs: 7 * 86_400_000,
      cloud: '2024-05-08T00:00:00.000Z',
      want: '2024-05-07T23:00:00.000Z',
    },
  ];
  it.each(cases)('$reason', ({ ttlMs, cloud, want }) => {
    expect(approvalExpiry(now, ttlMs, cloud)).toBe(want);
  });

  it('never ends later than the ttl or the cloud expiry minus an hour', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: -86_400_000, max: 30 * 86_400_000 }),
        (ttl, cloudOffset) => {
          const cloud = new Date(now.getTime() + cloudOffset).toISOString();
          const got = Date.parse(approvalExpiry(now, ttl, cloud));
          expect(got).toBeLessThanOrEqual(now.getTime() + ttl);
          expect(got).toBeLessThanOrEqual(now.getTime() + cloudOffset - 3_600_000);
          expect(got === now.getTime() + ttl || got === now.getTime() + cloudOffset - 3_600_000).toBe(true);
        },
      ),
    );
  });

  it('refuses a cloud expiry that is not a timestamp', () => {
    expect(() => approvalExpiry(now, 1000, 'soon')).toThrow(RangeError);
  });

  it('treats the expiry instant itself as expired', () => {
    expect(isPastExpiry({ expiresAt: '2024-05-01T00:00:00.000Z' }, now)).toBe(true);
    expect(isPastExpiry({ expiresAt: '2024-05-01T00:00:00.001Z' }, now)).toBe(false);
  });
});
