/** Counts API calls per Action, split into reads and writes (the benchmark's "API calls per reconcile"). */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  /** Describe*, Get*, List*, Search* and AssumeRole change nothing and count as reads; every other Action is a write. */
  static isRead(action: string): boolean {
    return /^(Describe|Get|List|Search)/.test(action) || action === 'AssumeRole';
  }

  record(action: string): void {
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
  }

  /** Calls of one Action. */
  of(action: string): number {
    return this.counts.get(action) ?? 0;
  }

  get reads(): number {
    return this.sum((a) => CallCounter.isRead(a));
  }

  get writes(): number {
    return this.sum((a) => !CallCounter.isRead(a));
  }

  get total(): number {
    return this.sum(() => true);
  }

  /** Every Action seen, with its count. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }

  private sum(pick: (action: string) => boolean): number {
    let n = 0;
    for (const [a, c] of this.counts) if (pick(a)) n += c;
    return n;
  }
}
