/**
 * An in-process mutex keyed by network: Compute allows one peering operation at a time across a
 * network and its peers, so two actions touching a shared network queue here instead of failing
 * with "peering operation in progress". Keys are taken in sorted order, so two holders never deadlock.
 */
export class NetworkLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` while holding every key. */
  async withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
