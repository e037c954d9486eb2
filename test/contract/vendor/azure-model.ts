import { dirname, join } from 'node:path';
import * as network from '@azure/arm-network';

/** A mapper as @azure/arm-network's generated `models/mappers.js` writes it (the Microsoft.Network swagger, compiled). */
interface MapperType {
  name: string;
  className?: string;
  element?: Mapper;
  value?: Mapper;
  modelProperties?: Record<string, Mapper>;
  allowedValues?: unknown[];
}
interface Mapper {
  serializedName?: string;
  required?: boolean;
  readOnly?: boolean;
  type: MapperType;
}

// The package exports only its client and types; the mappers are read from the file the client itself loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MAPPERS = require(join(dirname(require.resolve('@azure/arm-network')), 'models', 'mappers.js')) as Record<
  string,
  Mapper
>;

/**
 * Enum-valued string properties: the swagger marks them `x-ms-enum` (modelAsString), which the mappers keep as
 * String and the package exports as `Known…` constants. Keyed `Class.property` (`*` = any class).
 */
const ENUMS: Record<string, Record<string, string>> = {
  'VirtualNetworkPeering.peeringState': network.KnownVirtualNetworkPeeringState,
  'VirtualNetworkPeering.peeringSyncLevel': network.KnownVirtualNetworkPeeringLevel,
  'Route.nextHopType': network.KnownRouteNextHopType,
  'AzureAsyncOperationResult.status': network.KnownNetworkOperationStatus,
  '*.provisioningState': network.KnownProvisioningState,
};

/** Model classes with a `properties` envelope flattened into `properties.x` serialized names. */
function composite(className: string): Record<string, Mapper> {
  const m = MAPPERS[className];
  if (!m?.type.modelProperties) throw new Error(`@azure/arm-network has no model ${className}`);
  return m.type.modelProperties;
}

/** The wire tree of a class: serialized name segments → the mapper of each leaf (flattening undone). */
function wireTree(className: string): Map<string, Mapper | Map<string, unknown>> {
  const root = new Map<string, Mapper | Map<string, unknown>>();
  for (const [prop, mapper] of Object.entries(composite(className))) {
    const path = (mapper.serializedName ?? prop).split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
    let node = root;
    for (const segment of path.slice(0, -1)) {
      if (!node.has(segment)) node.set(segment, new Map());
      node = node.get(segment) as Map<string, Mapper | Map<string, unknown>>;
    }
    node.set(path[path.length - 1]!, { ...mapper, serializedName: `${className}.${prop}` });
  }
  return root;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkValue(
  mapper: Mapper,
  value: unknown,
  at: string,
  out: string[],
  direction: 'request' | 'response',
): void {
  const t = mapper.type;
  const [cls, prop] = (mapper.serializedName ?? '').split('.');
  const known = ENUMS[`${cls}.${prop}`] ?? ENUMS[`*.${prop}`];
  switch (t.name) {
    case 'String':
    case 'Uuid':
    case 'DateTime':
    case 'Date':
    case 'Base64Url':
    case 'ByteArray':
      if (typeof value !== 'string') out.push(`${at}: ${JSON.stringify(value)} is not a string`);
      else if (known && !Object.values(known).includes(value))
        out.push(`${at}: '${value}' is not one of ${Object.values(known).join(', ')}`);
      return;
    case 'Boolean':
      if (typeof value !== 'boolean') out.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'Number':
      if (typeof value !== 'number') out.push(`${at}: ${JSON.stringify(value)} is not a number`);
      return;
    case 'Enum':
      if (!t.allowedValues?.includes(value))
        out.push(`${at}: '${String(value)}' is not one of ${t.allowedValues?.join(', ')}`);
      return;
    case 'Sequence':
      if (!Array.isArray(value)) {
        out.push(`${at}: not an array`);
        return;
      }
      value.forEach((v, i) => checkValue(t.element!, v, `${at}[${i}]`, out, direction));
      return;
    case 'Dictionary':
      if (!isObject(value)) {
        out.push(`${at}: not an object`);
        return;
      }
      for (const [k, v] of Object.entries(value)) checkValue(t.value!, v, `${at}.${k}`, out, direction);
      return;
    case 'Composite':
      if (!isObject(value)) {
        out.push(`${at}: not an object`);
        return;
      }
      out.push(...checkBody(t.className!, value, direction, at));
      return;
    default:
      out.push(`${at}: the checker does not know mapper type ${t.name}`);
  }
}

function walk(
  tree: Map<string, Mapper | Map<string, unknown>>,
  body: Record<string, unknown>,
  at: string,
  out: string[],
  direction: 'request' | 'response',
): void {
  for (const [key, value] of Object.entries(body)) {
    const node = tree.get(key);
    if (!node) {
      out.push(`${at}.${key}: unknown to the model`);
      continue;
    }
    if (node instanceof Map) {
      if (isObject(value))
        walk(node as Map<string, Mapper | Map<string, unknown>>, value, `${at}.${key}`, out, direction);
      else out.push(`${at}.${key}: not an object`);
      continue;
    }
    if (direction === 'request' && node.readOnly) out.push(`${at}.${key}: read-only, must not be sent`);
    checkValue(node, value, `${at}.${key}`, out, direction);
  }
  for (const [key, node] of tree) {
    if (!(node instanceof Map) && node.required && !(key in body)) out.push(`${at}.${key}: required but missing`);
  }
}

/**
 * Checks a JSON body against an @azure/arm-network model class: every field must exist in the model with
 * its type, enum values spelled as the model spells them, required ones present, read-only ones never sent.
 * Returns the problems (empty = the body round-trips through the vendor's model).
 */
export function checkBody(
  className: string,
  body: unknown,
  direction: 'request' | 'response',
  at = className,
): string[] {
  const out: string[] = [];
  if (!isObject(body)) return [`${at}: not an object`];
  walk(wireTree(className), body, at, out, direction);
  return out;
}
