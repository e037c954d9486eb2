// Run as a separate process by file.test.ts: one compare-and-set from v1 to v2, prints "won" or "lost".
import { FileApprovalStore } from '../../shared/stores/file';

async function main(): Promise<void> {
  const [dir, id, who] = process.argv.slice(2) as [string, string, string];
  const store = new FileApprovalStore(dir);
  const record = await store.get(id);
  if (record === undefined) throw new Error('no record');
  const won = await store.compareAndSet({ ...record, status: 'approved', decidedBy: who, version: 2 }, 1);
  process.stdout.write(won ? 'won' : 'lost');
}

void main();
