import * as ec2 from '@aws-sdk/client-ec2';

/**
 * EC2's own model as @aws-sdk/client-ec2 ships it: each shape is exported as `Name$`, a Smithy schema
 * `[kind, namespace, name, traits, memberNames, memberSchemas]` (structure 3, list 1, map 2), members as
 * `[schema, { xmlName, ec2QueryName }]`, references lazy (`() => X$`), simple types as numbers (0 string,
 * 1 number, 2 boolean, 4–7 timestamps; +64 a list of them, +128 a map).
 */
type Schema = unknown;

/** One element of an XML response, as the emulator wrote it. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** Parses the well-formed, attribute-light XML EC2 writes into a tree of element names and text. */
export function parseXml(xml: string): XmlElement {
  const tokens = xml.replace(/<\?xml[^>]*\?>/, '').match(/<[^>]+>|[^<]+/g) ?? [];
  const root: XmlElement = { name: '#root', children: [], text: '' };
  const stack: XmlElement[] = [root];
  for (const token of tokens) {
    const top = stack[stack.length - 1]!;
    if (token.startsWith('</')) stack.pop();
    else if (token.startsWith('<')) {
      const el: XmlElement = { name: /^<([\w:.-]+)/.exec(token)![1]!, children: [], text: '' };
      top.children.push(el);
      if (!token.endsWith('/>')) stack.push(el);
    } else top.text += token.trim();
  }
  return root.children[0]!;
}

const deref = (s: Schema): Schema => (typeof s === 'function' ? (s as () => Schema)() : s);
const isArray = (s: Schema): s is unknown[] => Array.isArray(s);

/** `[schema, traits]` (a member) or a bare schema → both parts. */
function member(entry: Schema): { schema: Schema; xmlName?: string } {
  if (isArray(entry) && entry.length === 2) {
    const traits = entry[1] as { xmlName?: string } | number;
    return { schema: entry[0], ...(typeof traits === 'object' && traits?.xmlName ? { xmlName: traits.xmlName } : {}) };
  }
  return { schema: entry };
}

function checkSimple(kind: number, el: XmlElement, at: string, out: string[]): void {
  if (kind >= 64) {
    for (const item of el.children) checkSimple(kind & 63, item, `${at}/${item.name}`, out);
    return;
  }
  if (el.children.length > 0) {
    out.push(`${at}: has child elements where the model has a ${kind === 0 ? 'string' : 'scalar'}`);
    return;
  }
  if (kind === 1 && el.text !== '' && !Number.isFinite(Number(el.text)))
    out.push(`${at}: '${el.text}' is not a number`);
  if (kind === 2 && el.text !== 'true' && el.text !== 'false') out.push(`${at}: '${el.text}' is not a boolean`);
}

/** Checks an element against a schema: every child must be a member the model names (by its xmlName), recursively. */
export function checkElement(schemaRef: Schema, el: XmlElement, at: string, out: string[]): void {
  const schema = deref(schemaRef);
  if (typeof schema === 'number') {
    checkSimple(schema, el, at, out);
    return;
  }
  if (!isArray(schema)) {
    out.push(`${at}: the checker does not know schema ${String(schema)}`);
    return;
  }
  const kind = schema[0];
  if (kind === 3) {
    const names = schema[4] as string[];
    const members = (schema[5] as Schema[]).map(member);
    for (const child of el.children) {
      const i = members.findIndex((m, idx) => (m.xmlName ?? names[idx]) === child.name);
      if (i < 0) {
        out.push(`${at}/${child.name}: not in ${String(schema[2])}`);
        continue;
      }
      checkElement(members[i]!.schema, child, `${at}/${child.name}`, out);
    }
    return;
  }
  if (kind === 1) {
    const item = member(schema[4]);
    for (const child of el.children) {
      if (child.name !== (item.xmlName ?? 'member'))
        out.push(`${at}/${child.name}: a list of ${String(schema[2])} holds <${item.xmlName ?? 'member'}>`);
      else checkElement(item.schema, child, `${at}/${child.name}`, out);
    }
    return;
  }
  out.push(`${at}: the checker does not know schema kind ${String(kind)}`);
}

/**
 * Checks an EC2 Query response document against `<Action>Result$`: `<ActionResponse>` holds `requestId` and
 * the result's members. Actions whose output is Unit (CreateTags) may only carry `requestId` and `return`.
 */
export function checkEc2Response(action: string, xml: string): string[] {
  const root = parseXml(xml);
  const out: string[] = [];
  if (root.name !== `${action}Response`) return [`${action}: root is <${root.name}>`];
  const result = (ec2 as unknown as Record<string, Schema>)[`${action}Result$`];
  const body = { ...root, children: root.children.filter((c) => c.name !== 'requestId') };
  if (result === undefined) {
    for (const c of body.children)
      if (c.name !== 'return') out.push(`${action}/${c.name}: ${action} returns nothing in the model`);
    return out;
  }
  checkElement(result, body, action, out);
  return out;
}
