/**
 * Regenerates infra/terraform-schema/providers.json: the subset of the Terraform providers' schemas for exactly the
 * resource and data-source types infra/azure and infra/gcp use. Offline checks (test/infra/terraform-schema.test.ts)
 * compare our .tf files against it, because CI cannot download providers to run `terraform validate`.
 *
 * Source: the prebuilt CDK-for-Terraform provider packages on the npm registry, which are generated from each
 * provider's own `terraform providers schema -json` (their package.json names the provider version). Their .jsii
 * manifest keeps every argument with its Terraform name (in the registry link of its doc comment), whether it is
 * optional, and which arguments are nested blocks. Regenerate after changing the .tf files or the versions:
 *
 *   mkdir -p /tmp/tfschema && cd /tmp/tfschema && npm pack @cdktf/provider-azurerm@14.23.1 @cdktf/provider-google@16.12.1 @cdktf/provider-random@12.0.1
 *   for f in *.tgz; do d=${f%.tgz}; mkdir -p $d && tar -xzf $f -C $d package/.jsii package/package.json; done
 *   npx tsx infra/terraform-schema/extract.ts /tmp/tfschema
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<Record<string, unknown>> };

/** One block's schema: its arguments (required or not) and its nested blocks. */
export interface BlockSchema {
  attributes: Record<string, { required: boolean }>;
  blocks: Record<string, { required: boolean; block: BlockSchema }>;
}

/** The committed fixture. */
export interface ProviderSchemas {
  generatedFrom: { package: string; version: string; provider: string; providerVersion: string; tarballSha1: string }[];
  providers: Record<string, BlockSchema>;
  resources: Record<string, BlockSchema>;
  dataSources: Record<string, BlockSchema>;
}

interface JsiiType {
  kind: string;
  datatype?: boolean;
  interfaces?: string[];
  properties?: JsiiProperty[];
}
interface JsiiProperty {
  name: string;
  optional?: boolean;
  type: unknown;
  docs?: { summary?: string; remarks?: string };
}

const ROOT = join(__dirname, '..', '..');
const TF_DIRS = ['infra/azure', 'infra/gcp'];
const pascal = (snake: string) =>
  snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());

/** The Terraform name of a property: the anchor of the registry link in its doc comment (`…#app_settings`). */
function terraformName(p: JsiiProperty): string {
  const docs = `${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`;
  const anchor = /#([a-z0-9_]+) [A-Za-z0-9]+#/.exec(docs);
  return anchor ? anchor[1]! : p.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The struct a property's type names, directly or as a list (`IResolvable | X[]`), if it is a nested block. */
function blockFqn(type: unknown, types: Record<string, JsiiType>): string | undefined {
  const t = type as { fqn?: string; union?: { types: unknown[] }; collection?: { kind: string; elementtype: unknown } };
  if (t.fqn) return types[t.fqn]?.datatype ? t.fqn : undefined;
  if (t.collection?.kind === 'array') return blockFqn(t.collection.elementtype, types);
  if (t.union)
    for (const member of t.union.types) {
      const found = blockFqn(member, types);
      if (found) return found;
    }
  return undefined;
}

function blockOf(fqn: string, types: Record<string, JsiiType>, depth = 0): BlockSchema {
  const out: BlockSchema = { attributes: {}, blocks: {} };
  if (depth > 12) return out;
  for (const p of types[fqn]?.properties ?? []) {
    const name = terraformName(p);
    const nested = blockFqn(p.type, types);
    if (nested) out.blocks[name] = { required: p.optional !== true, block: blockOf(nested, types, depth + 1) };
    else out.attributes[name] = { required: p.optional !== true };
  }
  return out;
}

/**
 * `resources/<name>` / `data-sources/<name>` → the Config struct of that type, read from the registry links in its
 * doc comments (cdktf renames some: random_string's config is StringResourceConfig).
 */
function configIndex(types: Record<string, JsiiType>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [fqn, t] of Object.entries(types)) {
    if (!t.datatype || !fqn.endsWith('Config') || !(t.interfaces ?? []).includes('cdktf.TerraformMetaArguments'))
      continue;
    for (const p of t.properties ?? []) {
      const link = /\/docs\/(resources|data-sources)\/([a-z0-9_]+)#/.exec(
        `${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`,
      );
      if (link) {
        index.set(`${link[1]}/${link[2]}`, fqn);
        break;
      }
    }
  }
  return index;
}

/** Every resource and data-source type, and every provider, our .tf files use. */
async function usedTypes(): Promise<{ resources: Set<string>; dataSources: Set<string>; providers: Set<string> }> {
  const used = { resources: new Set<string>(), dataSources: new Set<string>(), providers: new Set<string>() };
  for (const dir of TF_DIRS) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.tf'))) {
      const hcl = (await parse(file, readFileSync(join(ROOT, dir, file), 'utf8'))) as {
        resource?: object;
        data?: object;
        provider?: object;
      };
      for (const t of Object.keys(hcl.resource ?? {})) used.resources.add(t);
      for (const t of Object.keys(hcl.data ?? {})) used.dataSources.add(t);
      for (const t of Object.keys(hcl.provider ?? {})) used.providers.add(t);
    }
  }
  return used;
}

async function main(dir: string): Promise<void> {
  const used = await usedTypes();
  const out: ProviderSchemas = { generatedFrom: [], providers: {}, resources: {}, dataSources: {} };
  for (const pkg of readdirSync(dir)
    .filter((d) => d.startsWith('cdktf-provider-') && !d.endsWith('.tgz'))
    .sort()) {
    const manifest = JSON.parse(readFileSync(join(dir, pkg, 'package', 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      cdktf: { provider: { name: string; version: string } };
    };
    const types = (
      JSON.parse(readFileSync(join(dir, pkg, 'package', '.jsii'), 'utf8')) as { types: Record<string, JsiiType> }
    ).types;
    const provider = manifest.cdktf.provider.name.split('/').pop()!;
    out.generatedFrom.push({
      package: manifest.name,
      version: manifest.version,
      provider: manifest.cdktf.provider.name,
      providerVersion: manifest.cdktf.provider.version,
      tarballSha1: createHash('sha1')
        .update(readFileSync(join(dir, `${pkg}.tgz`)))
        .digest('hex'),
    });
    if (used.providers.has(provider))
      out.providers[provider] = blockOf(`${manifest.name}.provider.${pascal(provider)}ProviderConfig`, types);
    const index = configIndex(types);
    for (const [kind, wanted, into] of [
      ['resources', used.resources, out.resources],
      ['data-sources', used.dataSources, out.dataSources],
    ] as const) {
      for (const t of [...wanted].filter((r) => r.startsWith(`${provider}_`)).sort()) {
        const fqn = index.get(`${kind}/${t.slice(provider.length + 1)}`);
        if (!fqn)
          throw new Error(
            `${kind === 'resources' ? '' : 'data '}${t}: not in ${manifest.name}@${manifest.version} (${provider} ${manifest.cdktf.provider.version})`,
          );
        into[t] = blockOf(fqn, types);
      }
    }
  }
  writeFileSync(join(__dirname, 'providers.json'), `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(
    `wrote infra/terraform-schema/providers.json: ${Object.keys(out.resources).length} resource types, ${Object.keys(out.dataSources).length} data sources, ${Object.keys(out.providers).length} providers\n`,
  );
}

if (require.main === module) {
  main(process.argv[2] ?? '/tmp/tfschema').catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
