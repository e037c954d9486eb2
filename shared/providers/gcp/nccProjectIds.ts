import type { ComputeClient } from './client';

/** `projects/{number}/` in an NCC name or URI (NCC documents its names with project numbers). */
const NUMBERED = /(^|\/)projects\/(\d+)\//g;

function collect(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') for (const m of value.matchAll(NUMBERED)) out.add(m[2]!);
  else if (Array.isArray(value)) value.forEach((v) => collect(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => collect(v, out));
}

function replace(value: unknown, ids: ReadonlyMap<string, string | undefined>): unknown {
  if (typeof value === 'string')
    return value.replace(NUMBERED, (m, lead: string, n: string) => {
      const id = ids.get(n);
      return id ? `${lead}projects/${id}/` : m;
    });
  if (Array.isArray(value)) return value.map((v) => replace(v, ids));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, ids)]));
  return value;
}

/**
 * Spells NCC names with project ids, as partitions, policies and network refs do: each project number found is looked
 * up once (Resource Manager v3 `projects.get` answers for a number too). A number that cannot be looked up stays a
 * number: the name then matches nothing peerkeeper governs, which is what it is.
 */
export class ProjectIds {
  private readonly ids = new Map<string, Promise<string | undefined>>();

  constructor(private readonly client: ComputeClient) {}

  async rewrite<T>(value: T, deadline?: number): Promise<T> {
    const numbers = new Set<string>();
    collect(value, numbers);
    if (numbers.size === 0) return value;
    const found = new Map<string, string | undefined>();
    for (const n of numbers) found.set(n, await this.idOf(n, deadline));
    return replace(value, found) as T;
  }

  private idOf(number: string, deadline?: number): Promise<string | undefined> {
    let id = this.ids.get(number);
    if (!id) {
      id = this.client
        .getResourceManagerV3<{ projectId?: string }>(`projects/${number}`, deadline)
        .then((p) => p.projectId)
        .catch(() => undefined);
      this.ids.set(number, id);
    }
    return id;
  }
}
