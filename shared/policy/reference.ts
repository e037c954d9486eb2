import { policyJsonSchema } from './jsonSchema';

type Schema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  required?: string[];
  pattern?: string;
  prefixItems?: Schema[];
};

function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => `\`${String(e)}\``).join(' \\| ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(' \\| ');
  if (s.type === 'array') {
    if (s.items && !Array.isArray(s.items) && (s.items.oneOf ?? s.items.anyOf)?.every((v) => v.properties))
      return 'list of objects';
    if (s.prefixItems) return `[${s.prefixItems.map(typeOf).join(', ')}]`;
    return s.items && !Array.isArray(s.items) ? `list of ${typeOf(s.items)}` : 'list';
  }
  if (s.type === 'object' && typeof s.additionalProperties === 'object' && !s.properties)
    return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function rows(s: Schema, path: string, out: string[][], required: boolean): void {
  const dflt = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
  if (path)
    out.push([
      `\`${path}\``,
      typeOf(s),
      required && s.default === undefined ? 'yes' : '',
      dflt,
      (s.description ?? '').replace(/\|/g, '\\|'),
    ]);
  for (const [key, child] of Object.entries(s.properties ?? {}))
    rows(child, path ? `${path}.${key}` : key, out, s.required?.includes(key) ?? false);
  if (typeof s.additionalProperties === 'object' && s.additionalProperties.properties)
    rows(s.additionalProperties, `${path}.<name>`, out, false);
  if (s.type === 'array' && s.items && !Array.isArray(s.items)) {
    const variants = s.items.oneOf ?? s.items.anyOf;
    if (variants && variants.every((v) => v.properties)) {
      // A discriminated union (connections by topology): the shared fields once, the others marked with their variant.
      const disc = Object.keys(variants[0]!.properties!).find((k) =>
        variants.every((v) => v.properties?.[k]?.const !== undefined),
      );
      if (disc)
        out.push([
          `\`${path}[].${disc}\``,
          variants.map((v) => `\`${String(v.properties![disc]!.const)}\``).join(' \\| '),
          'yes',
          '',
          'Which kind of connection this is.',
        ]);
      const seen = new Set<string>();
      for (const v of variants) {
        const label = disc ? `${disc}: ${String(v.properties![disc]!.const)}` : '';
        for (const [key, child] of Object.entries(v.properties ?? {})) {
          if (key === disc || seen.has(key)) continue;
          const common = variants.every((w) => w.properties?.[key]);
          if (common) seen.add(key);
          const described = common ? child : { ...child, description: `(${label}) ${child.description ?? ''}`.trim() };
          rows(described, `${path}[].${key}`, out, v.required?.includes(key) ?? false);
        }
      }
    } else if (s.items.properties) {
      for (const [key, child] of Object.entries(s.items.properties))
        rows(child, `${path}[].${key}`, out, s.items.required?.includes(key) ?? false);
    }
  }
}

/** The policy reference as a Markdown table, generated from the policy's JSON Schema (the README embeds it). */
export function policyReferenceMarkdown(): string {
  const out: string[][] = [];
  rows(policyJsonSchema() as Schema, '', out, true);
  const lines = ['| field | type | required | default | meaning |', '|---|---|---|---|---|'];
  for (const r of out) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n') + '\n';
}
