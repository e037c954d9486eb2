import type { Filter } from './state/filters';

/**
 * The Query protocol flattens structures into dotted keys (`Filter.1.Value.2=…`, 1-based list
 * indexes). This rebuilds the nested shape so handlers read parameters by name.
 */
export type QueryValue = string | QueryObject | QueryValue[];
export interface QueryObject {
  [name: string]: QueryValue;
}

function isIndex(segment: string): boolean {
  return /^\d+$/.test(segment);
}

/** Parses an `application/x-www-form-urlencoded` body into nested objects and lists. */
export function parseQuery(body: string): QueryObject {
  const root: QueryObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let container: QueryObject | QueryValue[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && isIndex(path[i + 1]!);
      const slot: string | number = Array.isArray(container) ? Number(segment) - 1 : segment;
      const store = container as Record<string | number, QueryValue | undefined>;
      if (last) {
        store[slot] = value;
        return;
      }
      let child = store[slot];
      if (child === undefined || typeof child === 'string') {
        child = nextIsIndex ? [] : {};
        store[slot] = child;
      }
      container = child as QueryObject | QueryValue[];
    });
  }
  return root;
}

/** A string parameter, or undefined. */
export function param(q: QueryObject, name: string): string | undefined {
  const v = q[name];
  return typeof v === 'string' ? v : undefined;
}

/** A nested structure parameter, or an empty one. */
export function struct(q: QueryObject, name: string): QueryObject {
  const v = q[name];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** A list parameter (`Name.1`, `Name.2`, …) as its non-empty entries. */
export function list(q: QueryObject, name: string): QueryValue[] {
  const v = q[name];
  return Array.isArray(v) ? v.filter((x) => x !== undefined) : [];
}

/** A list of strings (`VpcId.1=…`). */
export function stringList(q: QueryObject, name: string): string[] {
  return list(q, name).filter((x): x is string => typeof x === 'string');
}

/** An integer parameter (MaxResults). */
export function intParam(q: QueryObject, name: string): number | undefined {
  const v = param(q, name);
  return v === undefined ? undefined : Number(v);
}

/** A boolean parameter ("true" / "false"). */
export function boolParam(q: QueryObject, name: string): boolean | undefined {
  const v = param(q, name);
  return v === undefined ? undefined : v === 'true';
}

/** `Filter.N.Name` / `Filter.N.Value.M`. */
export function filters(q: QueryObject): Filter[] {
  return list(q, 'Filter').flatMap((f) => {
    if (typeof f !== 'object' || Array.isArray(f)) return [];
    const name = param(f, 'Name');
    return name === undefined ? [] : [{ name, values: stringList(f, 'Value') }];
  });
}

/** The tags of `TagSpecification.N` whose ResourceType matches. */
export function tagSpecifications(q: QueryObject, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of list(q, 'TagSpecification')) {
    if (typeof spec !== 'object' || Array.isArray(spec) || param(spec, 'ResourceType') !== resourceType) continue;
    for (const tag of list(spec, 'Tag')) {
      if (typeof tag !== 'object' || Array.isArray(tag)) continue;
      const key = param(tag, 'Key');
      if (key !== undefined) tags[key] = param(tag, 'Value') ?? '';
    }
  }
  return tags;
}

/** Lower-camel copy of the parameters, as CloudTrail writes EC2 `requestParameters` (lists as `{ items }`). */
export function toRequestParameters(q: QueryObject): Record<string, unknown> {
  const convert = (v: QueryValue): unknown => {
    if (typeof v === 'string') return v === 'true' ? true : v === 'false' ? false : v;
    if (Array.isArray(v)) return { items: v.filter((x) => x !== undefined).map(convert) };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), convert(x)]));
  };
  const { Action: _a, Version: _v, ...rest } = q;
  return convert(rest) as Record<string, unknown>;
}
