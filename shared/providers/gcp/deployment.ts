import { TerminalError } from '../../errors';
import { WATCHED_GCP_METHODS } from '../../events/gcp/methods';
import type { TokenSource } from './client';

/** The organization sink and event function infra/gcp/main.tf creates. */
export const GCP_SINK_NAME = 'peerkeeper-audit';
export const GCP_EVENT_FUNCTION = 'peerkeeper-event';

/** What doctor reads of a GCP deployment: the organization log sink and the policy hash the functions carry. Read-only. */
export class GcpDeploymentProbe {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: {
      project: string;
      region: string;
      organization?: string;
      tokens: TokenSource;
      fetch?: typeof fetch;
      /** https://logging.googleapis.com and https://cloudfunctions.googleapis.com unless pointed elsewhere (tests). */
      loggingEndpoint?: string;
      functionsEndpoint?: string;
    },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The organization sink: present, exporting every project's entries (include children), of every watched method. */
  async eventRoutes(): Promise<{ name: string; present: boolean; fix: string }[]> {
    const name = `organization log sink ${GCP_SINK_NAME}`;
    if (!this.options.organization)
      return [
        {
          name,
          present: false,
          fix: 'set PEERKEEPER_GCP_ORGANIZATION to the numeric organization id so doctor can read the sink',
        },
      ];
    const sink = (await this.get(
      `${this.options.loggingEndpoint ?? 'https://logging.googleapis.com'}/v2/organizations/${this.options.organization}/sinks/${GCP_SINK_NAME}`,
    )) as { includeChildren?: boolean; filter?: string; destination?: string } | undefined;
    const missing = sink ? WATCHED_GCP_METHODS.filter((m) => !(sink.filter ?? '').includes(`"${m.methodName}"`)) : [];
    const fix = 'terraform apply in infra/gcp (the deployer needs roles/logging.configWriter on the organization)';
    if (!sink) return [{ name, present: false, fix }];
    if (!sink.includeChildren)
      return [{ name: `${name} (without include_children: only the organization's own entries)`, present: false, fix }];
    if (missing.length > 0)
      return [
        { name: `${name} (its filter misses ${missing.map((m) => m.methodName).join(', ')})`, present: false, fix },
      ];
    return [{ name, present: true, fix }];
  }

  /** The policy hash the event function carries (PEERKEEPER_POLICY_SHA256), or undefined. */
  async deployedPolicyHash(): Promise<string | undefined> {
    const fn = (await this.get(
      `${this.options.functionsEndpoint ?? 'https://cloudfunctions.googleapis.com'}/v2/projects/${this.options.project}/locations/${this.options.region}/functions/${GCP_EVENT_FUNCTION}`,
    )) as { serviceConfig?: { environmentVariables?: Record<string, string> } } | undefined;
    if (!fn)
      throw new TerminalError(
        `function ${GCP_EVENT_FUNCTION} not found in ${this.options.project}/${this.options.region}: terraform apply in infra/gcp`,
      );
    return fn.serviceConfig?.environmentVariables?.PEERKEEPER_POLICY_SHA256;
  }

  /** GET as JSON; undefined on 404. */
  private async get(url: string): Promise<unknown> {
    const res = await this.fetch(url, { headers: await this.options.tokens.headers(url) });
    if (res.status === 404) return undefined;
    if (!res.ok)
      throw new TerminalError(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`, {
        code: String(res.status),
      });
    return res.json();
  }
}
