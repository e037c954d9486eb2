import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ApprovalRecordSchema, type ApprovalRecord, type ApprovalStatus } from '../approvals/record';
import {
  assertNextVersion,
  AuditEntrySchema,
  auditOrderKey,
  compareAudit,
  pageAudit,
  type ApprovalStore,
  type AuditEntry,
  type AuditListOptions,
  type AuditLog,
} from './ports';

const versionFile = /^v(\d{6,})\.json$/;

/**
 * Approvals as files, for the CLI and the local cloud. Each record is a directory of immutable version
 * files `approvals/<id>/v000001.json`, … . A new version is published with link(2), which fails with
 * EEXIST when the name exists: that is the compare-and-set, atomic across processes on one host,
 * without locks (a crashed writer leaves at most a stray temp file). Versions are contiguous and never
 * removed, so "v(n+1) absent" proves v(n) is still the latest. A record has ~2–4 versions.
 */
export class FileApprovalStore implements ApprovalStore {
  private readonly root: string;

  constructor(directory: string) {
    this.root = join(directory, 'approvals');
  }

  async put(record: ApprovalRecord): Promise<'created' | 'exists'> {
    const valid = ApprovalRecordSchema.parse(record);
    const dir = this.dirOf(valid.id);
    await mkdir(dir, { recursive: true });
    if ((await this.latestVersion(dir)) !== undefined) return 'exists';
    return (await this.publish(dir, valid)) ? 'created' : 'exists';
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const dir = this.dirOf(id);
    const version = await this.latestVersion(dir);
    if (version === undefined) return undefined;
    return ApprovalRecordSchema.parse(JSON.parse(await readFile(join(dir, fileName(version)), 'utf8')));
  }

  async compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const valid = ApprovalRecordSchema.parse(record);
    const dir = this.dirOf(valid.id);
    if ((await this.latestVersion(dir)) !== expectedVersion) return false;
    return this.publish(dir, valid);
  }

  async listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    const ids = await readdir(this.root).catch(ifMissing<string[]>([]));
    const records = await Promise.all(ids.map((name) => this.get(decodeURIComponent(name))));
    return records
      .filter((r): r is ApprovalRecord => r !== undefined && r.status === status)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private dirOf(id: string): string {
    return join(this.root, encodeURIComponent(id));
  }

  private async latestVersion(dir: string): Promise<number | undefined> {
    const names = await readdir(dir).catch(ifMissing<string[]>([]));
    let latest: number | undefined;
    for (const name of names) {
      const m = versionFile.exec(name);
      if (m) latest = Math.max(latest ?? 0, Number(m[1]));
    }
    return latest;
  }

  /** Writes a temp file, then links it to its version name; false when that version already exists. */
  private async publish(dir: string, record: ApprovalRecord): Promise<boolean> {
    const temp = join(dir, `.tmp-${randomUUID()}`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, join(dir, fileName(record.version)));
      return true;
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
}

/**
 * The audit log as one JSON-lines file. Each entry is one write(2) to a file opened O_APPEND, so
 * concurrent processes never interleave lines (entries are < 4 KiB). A torn last line from a crash
 * is skipped; duplicates (same `at` and `id`) are dropped when listing.
 */
export class FileAuditLog implements AuditLog {
  private readonly path: string;

  constructor(private readonly directory: string) {
    this.path = join(directory, 'audit.jsonl');
  }

  async append(entry: AuditEntry): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(AuditEntrySchema.parse(entry))}\n`);
    await mkdir(this.directory, { recursive: true });
    const handle = await open(this.path, 'a');
    try {
      await handle.write(line);
    } finally {
      await handle.close();
    }
  }

  async list(opts?: AuditListOptions): Promise<AuditEntry[]> {
    const text = await readFile(this.path, 'utf8').catch(ifMissing(''));
    // The piece after the last newline is '' or a line torn by a crash: never a complete entry.
    const complete = text.split('\n').slice(0, -1);
    const unique = new Map<string, AuditEntry>();
    for (const line of complete) {
      if (line.trim() === '') continue;
      const entry = AuditEntrySchema.parse(JSON.parse(line));
      const key = auditOrderKey(entry);
      if (!unique.has(key)) unique.set(key, entry);
    }
    return pageAudit([...unique.values()].sort(compareAudit), opts);
  }
}

function fileName(version: number): string {
  return `v${String(version).padStart(6, '0')}.json`;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function ifMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (isCode(error, 'ENOENT')) return fallback;
    throw error;
  };
}
