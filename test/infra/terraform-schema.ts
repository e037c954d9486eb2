import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockSchema, ProviderSchemas } from '../../infra/terraform-schema/extract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<Hcl> };
type Hcl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The committed subset of the providers' schemas (infra/terraform-schema/extract.ts regenerates it). */
export const SCHEMAS = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'infra', 'terraform-schema', 'providers.json'), 'utf8'),
) as ProviderSchemas;

/** Terraform's own meta-arguments, valid on every resource and data source. */
const META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']);

/** Every way a block of `text` departs from the schema: unknown types, unknown names, missing required ones. */
export async function schemaProblems(
  file: string,
  text: string,
  schemas: ProviderSchemas = SCHEMAS,
): Promise<string[]> {
  const hcl = await parse(file, text);
  const problems: string[] = [];
  const each = (kind: 'resource' | 'data', table: Record<string, BlockSchema>) => {
    for (const [type, byName] of Object.entries((hcl[kind] ?? {}) as Hcl)) {
      const schema = table[type];
      for (const [name, bodies] of Object.entries(byName as Hcl)) {
        const where = `${file}: ${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!schema) {
          problems.push(
            `${where}: no ${kind === 'data' ? 'data source' : 'resource'} type ${type} in the provider schema`,
          );
          continue;
        }
        for (const body of bodies as Hcl[]) checkBlock(where, body, schema, problems, true);
      }
    }
  };
  each('resource', schemas.resources);
  each('data', schemas.dataSources);
  for (const [provider, bodies] of Object.entries((hcl.provider ?? {}) as Hcl)) {
    const schema = schemas.providers[provider];
    if (!schema) {
      problems.push(`${file}: provider ${provider} not in the schema subset`);
      continue;
    }
    for (const body of bodies as Hcl[]) checkBlock(`${file}: provider.${provider}`, body, schema, problems, false);
  }
  return problems;
}

function checkBlock(where: string, body: Hcl, schema: BlockSchema, problems: string[], topLevel: boolean): void {
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, dynamics] of Object.entries(value as Hcl)) {
        const nested = schema.blocks[name];
        if (!nested) {
          problems.push(`${where}: no block ${name} (dynamic)`);
          continue;
        }
        present.add(name);
        for (const d of dynamics as Hcl[])
          for (const content of (d.content ?? []) as Hcl[])
            checkBlock(`${where}.${name}`, content, nested.block, problems, false);
      }
      continue;
    }
    if (schema.attributes[key]) {
      present.add(key);
      continue;
    }
    const nested = schema.blocks[key];
    if (!nested) {
      problems.push(`${where}: no argument or block ${key}`);
      continue;
    }
    present.add(key);
    if (!Array.isArray(value)) {
      problems.push(`${where}: ${key} is a block, written as an argument`);
      continue;
    }
    for (const item of value as Hcl[]) checkBlock(`${where}.${key}`, item, nested.block, problems, false);
  }
  for (const [name, a] of Object.entries(schema.attributes))
    if (a.required && !present.has(name)) problems.push(`${where}: missing required argument ${name}`);
  for (const [name, b] of Object.entries(schema.blocks))
    if (b.required && !present.has(name)) problems.push(`${where}: missing required block ${name}`);
}
