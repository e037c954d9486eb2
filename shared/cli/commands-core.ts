import { Option } from 'commander';
import { CliError } from './io';
import type { CliOutput } from './output';
import { OPTIONS, pick, required, text, type DefineCommand } from './options';

const LIVE = ['aws', 'azure', 'gcp', 'local'];
const ANY = [...LIVE, 'memory'];

/** validate, schema, plan, apply, graph, snapshot: the commands that read a policy and an estate. */
export function defineCoreCommands(command: DefineCommand, io: CliOutput): void {
  command(
    'validate [policy]',
    'check a policy: every error at once, with file, line and path (exit 1 on any)',
    async (f, [positional]) => {
      const flag = text(f, 'policy');
      if (positional && flag && positional !== flag)
        throw new CliError(`validate: two policies given (${positional} and --policy ${flag}); give one`);
      const policy = positional ?? flag;
      if (!policy) throw new CliError('validate needs a policy: peerkeeper validate <policy.yaml>');
      const { validateCommand, validateWithProvider } = await import('./validate');
      const provider = text(f, 'provider');
      if (provider)
        return validateWithProvider({ policy, ...pick(f, 'estate', 'out'), strict: f.strict === true, provider }, io);
      return validateCommand(
        { policy, ...pick(f, 'estate', 'out'), json: f.json === true, strict: f.strict === true },
        io,
      );
    },
    [
      'peerkeeper validate examples/policy.yaml',
      'peerkeeper validate policy.yaml --estate estate.json --strict   # warnings (groups that select nothing) fail too',
      'peerkeeper validate policy.yaml --out dist/policy.json          # the compiled policy the functions load',
      'peerkeeper validate policy.yaml --provider aws                  # the accounts each group resolves to (OUs discovered)',
    ],
  )
    .addOption(
      new Option(
        '--provider <cloud>',
        'also list the accounts each group of this cloud resolves to, discovering OUs, management groups and folders',
      ).choices(['aws', 'azure', 'gcp']),
    )
    .addOption(new Option('--policy <file>', 'the policy YAML (or give it as the argument)'))
    .addOption(new Option('--estate <file>', 'also check the groups against a snapshot (groups that select nothing)'))
    .addOption(new Option('--strict', 'warnings fail the check too (exit 1)'))
    .addOption(new Option('--out <file>', 'write the compiled policy (JSON, defaults applied) the functions load'))
    .addOption(OPTIONS.json());

  command(
    'schema',
    "print the policy's JSON Schema (or the estate snapshot's, or the policy reference table)",
    async (f) => {
      const { schemaCommand } = await import('./validate');
      return schemaCommand({ estate: f.estate === true, markdown: f.markdown === true }, io);
    },
    ['peerkeeper schema > policy.schema.json', 'peerkeeper schema --estate', 'peerkeeper schema --markdown'],
  )
    .addOption(new Option('--estate', 'the estate snapshot format instead of the policy').conflicts('markdown'))
    .addOption(new Option('--markdown', 'the policy reference as a Markdown table'));

  const planArgs = (f: Record<string, string | boolean | undefined>) => ({
    policy: text(f, 'policy') ?? '',
    ...pick(f, 'estate', 'provider', 'scope', 'now', 'stateDir'),
    json: f.json === true,
  });
  command(
    'plan',
    'observe (read-only) and print what peerkeeper would change: exit 0 none, 2 changes, 1 error or unread partitions',
    async (f) => {
      const { planCommand } = await import('./plan');
      return planCommand(planArgs(f), io);
    },
    [
      'peerkeeper plan --policy examples/policy.yaml --estate examples/estate.json',
      'peerkeeper plan --policy policy.yaml --provider aws --json > plan.json',
      `peerkeeper plan --policy policy.yaml --provider azure --scope '{"kind":"account","cloud":"azure","account":"0b1f6471-…"}'`,
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(OPTIONS.estate())
    .addOption(OPTIONS.provider(ANY))
    .addOption(OPTIONS.scope())
    .addOption(OPTIONS.json())
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());

  command(
    'apply',
    'plan, then act: exit 0 done, 1 when an action failed',
    async (f) => {
      const { applyCommand } = await import('./plan');
      return applyCommand(
        { ...planArgs(f), ...pick(f, 'out'), dryRun: f.dryRun === true, pretty: f.pretty === true },
        io,
      );
    },
    [
      'peerkeeper apply --policy examples/policy.yaml --estate examples/estate.json --out /tmp/converged.json',
      'peerkeeper apply --policy policy.yaml --provider aws --dry-run',
      'peerkeeper apply --policy policy.yaml --provider aws',
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(OPTIONS.estate())
    .addOption(OPTIONS.provider(LIVE))
    .addOption(OPTIONS.scope())
    .addOption(new Option('--out <file>', 'with --estate: where the converged estate is written'))
    .addOption(new Option('--pretty', 'with --out: one indented JSON document instead of JSON Lines'))
    .addOption(new Option('--dry-run', 'plan and report only: no change is made'))
    .addOption(OPTIONS.json())
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());

  command(
    'graph',
    'draw the topology: networks by cloud and account, peerings with state and connection, drift',
    async (f) => {
      const { graphCommand } = await import('./graph');
      return graphCommand(
        { policy: text(f, 'policy') ?? '', ...pick(f, 'estate', 'provider', 'format', 'out', 'now', 'stateDir') },
        io,
      );
    },
    [
      'peerkeeper graph --policy examples/policy.yaml --estate examples/estate.json > topology.mmd',
      'peerkeeper graph --policy examples/policy.yaml --estate examples/estate.json --out topology.html',
      'peerkeeper graph --policy policy.yaml --provider local --format html --out topology.html',
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(OPTIONS.estate())
    .addOption(OPTIONS.provider(ANY))
    .addOption(new Option('--format <format>', 'mermaid (default) or html (an SVG page; the default for --out *.html)'))
    .addOption(new Option('--out <file>', 'write the picture here instead of stdout'))
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());

  command(
    'snapshot',
    'write the observed estate in the format --estate reads, with per-partition completeness',
    async (f) => {
      const { snapshotCommand } = await import('./snapshot');
      return snapshotCommand(
        {
          policy: text(f, 'policy') ?? '',
          ...pick(f, 'provider', 'out', 'scope', 'now', 'stateDir'),
          redact: f.redact === true,
          pretty: f.pretty === true,
          progress: io.progress === true,
        },
        io,
      );
    },
    [
      'peerkeeper snapshot --provider aws --policy policy.yaml --out estate.json',
      'peerkeeper snapshot --provider azure --policy policy.yaml --out estate.json --redact   # for a bug report',
      'peerkeeper plan --policy policy.yaml --estate estate.json                            # the same plan, offline',
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(required(OPTIONS.provider(LIVE)))
    .addOption(required(new Option('--out <file>', 'where the snapshot is written (required)')))
    .addOption(OPTIONS.scope())
    .addOption(new Option('--redact', 'replace account and network names and tag values the policy does not select on'))
    .addOption(new Option('--pretty', 'one indented JSON document instead of JSON Lines'))
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());
}
