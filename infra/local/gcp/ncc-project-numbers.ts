import type { GcpEmulatorState } from './state';

/** `projects/{id or number}/` at the start of a name or after a `/` (full URIs), followed by `locations`. */
const NAME = /(^|\/)projects\/([^/]+)\/(?=locations\/)/g;

/**
 * NCC documents its resource names with project numbers (`projects/{project_number}/locations/global/hubs/{hub}`) and
 * accepts ids or numbers in requests. The emulator stores ids; with `namesByNumber` it answers with numbers, and it
 * always reads either.
 */
function rewrite(value: unknown, to: (project: string) => string): unknown {
  if (typeof value === 'string')
    return value.replace(NAME, (_m, lead: string, p: string) => `${lead}projects/${to(p)}/`);
  if (Array.isArray(value)) return value.map((v) => rewrite(v, to));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, to)]));
  return value;
}

/** The project id a request names by id or by number (unknown ones as given). */
export function projectIdOf(state: GcpEmulatorState, project: string): string {
  if (state.projects.has(project) || !/^\d+$/.test(project)) return project;
  return [...state.projects.values()].find((p) => p.number === project)?.id ?? project;
}

/** A request body with every NCC name spelled with project ids. */
export function withProjectIds<T>(state: GcpEmulatorState, value: T): T {
  return rewrite(value, (p) => projectIdOf(state, p)) as T;
}

/** An answer with NCC names spelled with project numbers (Compute URIs inside keep their ids). */
export function withProjectNumbers<T>(state: GcpEmulatorState, value: T): T {
  return rewrite(value, (p) => state.projects.get(p)?.number ?? p) as T;
}
