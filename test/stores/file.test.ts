import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileApprovalStore, FileAuditLog } from '../../shared/stores/file';
import { sampleRecord, storeContract } from './contract';

describe('file stores', () => {
  const dirs: string[] = [];
  const fresh = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'peerkeeper-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  storeContract({
    approvals: async () => new FileApprovalStore(await fresh()),
    audit: async () => new FileAuditLog(await fresh()),
  });

  it('sees records written by another instance on the same directory', async () => {
    const dir = await fresh();
    const first = new FileApprovalStore(dir);
    const second = new FileApprovalStore(dir);
    const record = sampleRecord('pcx-shared');
    await first.put(record);
    expect(await second.compareAndSet({ ...record, status: 'approved', version: 2 }, 1)).toBe(true);
    expect(await first.compareAndSet({ ...record, status: 'rejected', version: 2 }, 1)).toBe(false);
    expect((await first.get(record.id))?.status).toBe('approved');
  });

  it('skips a torn last audit line left by a crash', async () => {
    const dir = await fresh();
    const log = new FileAuditLog(dir);
    await log.append({
      id: 'e1',
      at: '2024-05-01T10:00:00.000Z',
      actor: 'peerkeeper',
      action: 'approve',
      subject: 'aws:pcx-1',
      reason: 'r',
      outcome: 'approved',
    });
    await appendFile(join(dir, 'audit.jsonl'), '{"id":"e2","at":"2024-05-');
    expect((await log.list()).map((e) => e.id)).toEqual(['e1']);
  });
});

describe('file store across processes', () => {
  it('lets exactly one of 6 processes racing the same compare-and-set win', async () => {
    const { execFile } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'peerkeeper-race-'));
    try {
      const record = sampleRecord('pcx-processes');
      await new FileApprovalStore(dir).put(record);
      const worker = join(__dirname, 'file-race-worker.ts');
      const run = (who: string): Promise<string> =>
        new Promise((resolve, reject) => {
          execFile(
            process.execPath,
            ['--import', 'tsx', worker, dir, record.id, who],
            { cwd: join(__dirname, '../..') },
            (error, stdout) => (error ? reject(error) : resolve(stdout)),
          );
        });
      const results = await Promise.all(['U1', 'U2', 'U3', 'U4', 'U5', 'U6'].map(run));
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'lost')).toHaveLength(5);
      const winner = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'][results.indexOf('won')];
      expect((await new FileApprovalStore(dir).get(record.id))?.decidedBy).toBe(winner);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
