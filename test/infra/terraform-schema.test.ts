import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS, schemaProblems } from './terraform-schema';

const ROOT = join(__dirname, '..', '..');
const files = ['infra/azure', 'infra/gcp'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.tf'))
    .map((f) => `${dir}/${f}`),
);

describe("the Azure and GCP Terraform against the providers' schemas (offline)", () => {
  it('was checked against the provider versions the fixture names', () => {
    expect(SCHEMAS.generatedFrom.map((g) => `${g.provider}@${g.providerVersion}`)).toEqual([
      'registry.terraform.io/hashicorp/azurerm@4.55.0',
      'registry.terraform.io/hashicorp/google@6.50.0',
      'registry.terraform.io/hashicorp/random@3.7.2',
    ]);
  });

  it.each(files)('%s uses only types, arguments and blocks the provider has, with every required one', async (file) => {
    expect(await schemaProblems(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  const azure = readFileSync(join(ROOT, 'infra/azure/main.tf'), 'utf8');
  const gcp = readFileSync(join(ROOT, 'infra/gcp/main.tf'), 'utf8');
  const mutations: { reason: string; text: string; from: string; to: string; want: RegExp }[] = [
    {
      reason: 'a misspelled argument',
      text: azure,
      from: 'account_replication_type',
      to: 'account_replicaton_type',
      want: /azurerm_storage_account\.peerkeeper: no argument or block account_replicaton_type/,
    },
    {
      reason: 'a missing required argument',
      text: azure,
      from: '  account_tier                    = "Standard"\n',
      to: '',
      want: /azurerm_storage_account\.peerkeeper: missing required argument account_tier/,
    },
    {
      reason: 'a misspelled nested block',
      text: gcp,
      from: 'build_config {',
      to: 'builds_config {',
      want: /google_cloudfunctions2_function\.event: no argument or block builds_config/,
    },
    {
      reason: 'a misspelled argument inside a nested block',
      text: azure,
      from: 'max_delivery_attempts',
      to: 'max_delivery_attempt',
      want: /azurerm_eventgrid_event_subscription\.managed\.retry_policy: no argument or block max_delivery_attempt\b/,
    },
    {
      reason: 'a resource type that does not exist',
      text: gcp,
      from: 'resource "google_pubsub_topic" "work"',
      to: 'resource "google_pubsub_topics" "work"',
      want: /no resource type google_pubsub_topics/,
    },
  ];
  it.each(mutations)('fails on $reason', async ({ text, from, to, want }) => {
    expect(text).toContain(from);
    const problems = await schemaProblems('mutated.tf', text.replace(from, to));
    expect(problems.join('\n')).toMatch(want);
  });
});
