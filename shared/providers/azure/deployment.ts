import type { TokenCredential } from '@azure/identity';
import { TerminalError } from '../../errors';

/** The app's event function infra/azure/main.tf points every Event Grid subscription at. */
export const AZURE_EVENTS_FUNCTION = 'peerkeeper-events';
const WEB_API_VERSION = '2023-12-01';
const EVENT_GRID_API_VERSION = '2022-06-15';

/** What doctor reads of an Azure deployment: the app's settings and each managed subscription's Event Grid subscription. Read-only. */
export class AzureDeploymentProbe {
  private readonly fetch: typeof fetch;
  private settings: Promise<Record<string, string>> | undefined;

  constructor(
    private readonly options: {
      subscription: string;
      resourceGroup: string;
      functionApp: string;
      managedSubscriptions: readonly string[];
      credential: TokenCredential;
      fetch?: typeof fetch;
      endpoint?: string;
    },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The function app's settings (`config/appsettings/list`: a POST that reads). */
  appSettings(): Promise<Record<string, string>> {
    const { subscription, resourceGroup, functionApp } = this.options;
    this.settings ??= this.call(
      'POST',
      `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${functionApp}/config/appsettings/list?api-version=${WEB_API_VERSION}`,
    ).then((body) => {
      if (!body)
        throw new TerminalError(
          `function app ${functionApp} not found in ${resourceGroup}: terraform apply in infra/azure`,
        );
      return (body as { properties?: Record<string, string> }).properties ?? {};
    });
    return this.settings;
  }

  /** One Event Grid subscription per managed subscription, delivering to the app's events function. */
  async eventRoutes(): Promise<{ name: string; present: boolean; fix: string }[]> {
    const target = `/sites/${this.options.functionApp}/functions/${AZURE_EVENTS_FUNCTION}`.toLowerCase();
    const out: { name: string; present: boolean; fix: string }[] = [];
    for (const sub of this.options.managedSubscriptions) {
      const body = (await this.call(
        'GET',
        `/subscriptions/${sub}/providers/Microsoft.EventGrid/eventSubscriptions?api-version=${EVENT_GRID_API_VERSION}`,
      )) as { value?: { properties?: { destination?: { properties?: { resourceId?: string } } } }[] } | undefined;
      const present = (body?.value ?? []).some((s) =>
        (s.properties?.destination?.properties?.resourceId ?? '').toLowerCase().endsWith(target),
      );
      out.push({
        name: `Event Grid subscription on ${sub}`,
        present,
        fix: `register Microsoft.EventGrid in ${sub} and terraform apply in infra/azure (managed_subscription_ids)`,
      });
    }
    return out;
  }

  /** The policy hash the app carries (PEERKEEPER_POLICY_SHA256), or undefined. */
  async deployedPolicyHash(): Promise<string | undefined> {
    return (await this.appSettings()).PEERKEEPER_POLICY_SHA256;
  }

  private async call(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const endpoint = (this.options.endpoint ?? 'https://management.azure.com').replace(/\/$/, '');
    const token = await this.options.credential.getToken(`${endpoint}/.default`);
    const res = await this.fetch(`${endpoint}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token.token}` } : {}), 'content-type': 'application/json' },
    });
    if (res.status === 404) return undefined;
    if (!res.ok)
      throw new TerminalError(`${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`, {
        code: String(res.status),
      });
    return res.json();
  }
}
