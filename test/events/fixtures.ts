import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedEventError } from '../../shared/errors';
import { TriggerSchema } from '../../shared/model';
import type { NormalizeResult } from '../../shared/events';

/** JSON as parsed from a fixture, typed loosely enough for tests to edit copies. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh, editable copy of a fixture in test/fixtures/events (each call parses the file again). */
export function loadFixture(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'events', name), 'utf8')) as Json;
}

/** The scope of a work result; fails the test on an ignore, with its reason in the message. */
export function expectWork(result: NormalizeResult): Extract<NormalizeResult, { kind: 'work' }>['trigger'] {
  if (result.kind !== 'work') throw new Error(`expected work, got ignore: ${result.reason}`);
  return result.trigger;
}

/** Runs a normalizer and checks the fuzz invariant: it returns a well-formed result or throws MalformedEventError. */
export function normalizesOrRejects(run: () => NormalizeResult | NormalizeResult[]): void {
  let results: NormalizeResult[];
  try {
    const result = run();
    results = Array.isArray(result) ? result : [result];
  } catch (error) {
    if (error instanceof MalformedEventError) {
      expect(error.message.length).toBeGreaterThan(10);
      return;
    }
    throw error;
  }
  for (const result of results) {
    if (result.kind === 'work') TriggerSchema.parse(result.trigger);
    else expect(result.reason.length).toBeGreaterThan(0);
  }
}

/** Every path to a value inside `value`, so fuzz tests can mutate any field of a fixture. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

/** Deletes (value undefined) or replaces the value at `path` in place; the root path replaces nothing. */
export function mutateAt(root: Json, path: (string | number)[], value: unknown): Json | unknown {
  if (path.length === 0) return value;
  let parent: Json = root;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = value;
  }
  return root;
}
