import { approvalId, type ApprovalRecord } from '../../shared/approvals/record';
import type { ApprovalStore, AuditEntry, AuditLog } from '../../shared/stores/ports';

/** A fresh, empty pair of stores (each test gets its own, so tests never see each other's data). */
export interface StoreFactory {
  approvals(): Promise<ApprovalStore>;
  audit(): Promise<AuditLog>;
}

/** An approval record for peering `peeringId`; tests vary what they need. */
export function sampleRecord(peeringId: string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: approvalId('aws', peeringId),
    cloud: 'aws',
    peeringId,
    requester: { cloud: 'aws', account: '999999999999', region: 'us-east-1', id: 'vpc-0a1b2c3d' },
    accepter: { cloud: 'aws', account: '111111111111', region: 'us-east-1', id: 'vpc-0e0f0a0b' },
    requesterCidrs: ['10.1.0.0/16'],
    accepterCidrs: ['10.0.0.0/16', '2600:1f18::/56'],
    requesterName: 'partner-vpc',
    reason: 'partner-link: pair partners ↔ hub requires approval',
    status: 'pending',
    createdAt: '2024-05-01T10:00:00.000Z',
    expiresAt: '2024-05-04T10:00:00.000Z',
    requestedBy: 'U0REQUESTR',
    version: 1,
    ...overrides,
  };
}

function entry(n: number, at: string): AuditEntry {
  return {
    id: `e${n}`,
    at,
    actor: 'peerkeeper',
    action: 'accept-peering',
    subject: `aws:pcx-${n}`,
    reason: `case ${n}`,
    outcome: 'done',
    planHash: 'sha256:abc',
  };
}

/**
 * The one contract every ApprovalStore / AuditLog implementation must meet: create-if-absent,
 * first-writer-wins under concurrency, listByStatus, and audit order. Call inside a describe().
 */
export function storeContract(factory: StoreFactory): void {
  it('creates a record only if absent', async () => {
    const store = await factory.approvals();
    const record = sampleRecord('pcx-create');
    expect(await store.put(record)).toBe('created');
    expect(await store.put({ ...record, reason: 'a second request must not overwrite' })).toBe('exists');
    expect(await store.get(record.id)).toEqual(record);
    expect(await store.get('aws-000000000000')).toBeUndefined();
  });

  it('lets exactly one of two concurrent creators win', async () => {
    const store = await factory.approvals();
    const record = sampleRecord('pcx-race-create');
    const results = await Promise.all([store.put(record), store.put({ ...record, reason: 'other' })]);
    expect(results.sort()).toEqual(['created', 'exists']);
  });

  it('writes only when the stored version is the expected one', async () => {
    const store = await factory.approvals();
    const record = sampleRecord('pcx-cas');
    await store.put(record);
    const approved: ApprovalRecord = {
      ...record,
      status: 'approved',
      decidedBy: 'U1',
      decidedAt: '2024-05-01T11:00:00.000Z',
      version: 2,
    };
    expect(await store.compareAndSet(approved, 1)).toBe(true);
    expect(await store.compareAndSet({ ...record, status: 'rejected', version: 2 }, 1)).toBe(false);
    expect(await store.get(record.id)).toEqual(approved);
    expect(await store.compareAndSet({ ...sampleRecord('pcx-missing'), version: 2 }, 1)).toBe(false);
  });

  it('refuses a new version that is not the next one', async () => {
    const store = await factory.approvals();
    const record = sampleRecord('pcx-skip');
    await store.put(record);
    await expect(store.compareAndSet({ ...record, version: 5 }, 1)).rejects.toThrow(/not 1 \+ 1/);
  });

  it('lets exactly one of 10 concurrent compare-and-sets with the same expected version win', async () => {
    const store = await factory.approvals();
    const record = sampleRecord('pcx-race');
    await store.put(record);
    const attempts = Array.from({ length: 10 }, (_, i) =>
      store.compareAndSet({ ...record, status: 'approved', decidedBy: `U${i}`, version: 2 }, 1),
    );
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await store.get(record.id))?.decidedBy).toBe(`U${winner}`);
  });

  it('lists records by status, oldest first', async () => {
    const store = await factory.approvals();
    await store.put(sampleRecord('pcx-b', { createdAt: '2024-05-02T00:00:00.000Z' }));
    await store.put(sampleRecord('pcx-a', { createdAt: '2024-05-01T00:00:00.000Z' }));
    const decided = sampleRecord('pcx-c');
    await store.put(decided);
    await store.compareAndSet({ ...decided, status: 'rejected', version: 2 }, 1);
    expect((await store.listByStatus('pending')).map((r) => r.peeringId)).toEqual(['pcx-a', 'pcx-b']);
    expect((await store.listByStatus('rejected')).map((r) => r.peeringId)).toEqual(['pcx-c']);
    expect(await store.listByStatus('expired')).toEqual([]);
  });

  it('lists audit entries in time order whatever the append order, once each', async () => {
    const log = await factory.audit();
    await log.append(entry(2, '2024-05-01T10:00:02.000Z'));
    await log.append(entry(1, '2024-05-01T10:00:01.000Z'));
    await log.append(entry(3, '2024-05-01T10:00:03.000Z'));
    await log.append(entry(2, '2024-05-01T10:00:02.000Z'));
    const all = await log.list();
    expect(all.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(all[0]).toEqual(entry(1, '2024-05-01T10:00:01.000Z'));
  });

  it('pages the audit log with since and limit', async () => {
    const log = await factory.audit();
    for (let n = 1; n <= 5; n++) await log.append(entry(n, `2024-05-01T10:00:0${n}.000Z`));
    expect((await log.list({ since: '2024-05-01T10:00:03.000Z' })).map((e) => e.id)).toEqual(['e3', 'e4', 'e5']);
    expect((await log.list({ since: '2024-05-01T10:00:02.000Z', limit: 2 })).map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(await log.list({ since: '2024-06-01T00:00:00.000Z' })).toEqual([]);
  });

  it('refuses an audit entry without a canonical timestamp', async () => {
    const log = await factory.audit();
    await expect(log.append({ ...entry(9, '2024-05-01T10:00:00Z') })).rejects.toThrow();
  });
}
