import { ArmError } from './armError';

/**
 * The api-versions the emulator serves, per resource provider. ARM refuses any other: a typo or a
 * version the provider never shipped fails the call instead of silently answering in another shape.
 * Microsoft.Network: the stable versions from 2023 on (the adapter speaks 2024-05-01; @azure/arm-network
 * 36 speaks 2025-05-01). Microsoft.Resources: subscriptions and resource groups. Management groups: stable ones.
 */
const SUPPORTED: Record<string, readonly string[]> = {
  'microsoft.network': [
    '2023-04-01',
    '2023-05-01',
    '2023-06-01',
    '2023-09-01',
    '2023-11-01',
    '2024-01-01',
    '2024-03-01',
    '2024-05-01',
    '2024-07-01',
    '2024-10-01',
    '2025-01-01',
    '2025-03-01',
    '2025-05-01',
  ],
  'microsoft.resources': [
    '2016-06-01',
    '2019-10-01',
    '2020-01-01',
    '2021-01-01',
    '2021-04-01',
    '2022-09-01',
    '2022-12-01',
    '2023-07-01',
    '2024-03-01',
    '2024-07-01',
    '2024-11-01',
  ],
  'microsoft.management': ['2020-02-01', '2020-05-01', '2020-10-01', '2021-04-01', '2023-04-01'],
  'microsoft.subscription': ['2020-09-01', '2021-10-01', '2024-08-01-preview'],
};

/** Refuses a missing or unknown api-version the way ARM words it for the provider the operation belongs to. */
export function checkApiVersion(operation: string, version: string | null): void {
  if (!version)
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  const namespace = operation.split('/')[0]!.toLowerCase();
  const supported = SUPPORTED[namespace];
  if (!supported || supported.includes(version)) return;
  const type = operation.split('/').slice(0, -1).join('/');
  if (namespace === 'microsoft.network') {
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'global' and API version '${version}' for type '${type.split('/').slice(1).join('/')}'. The supported api-versions are '${supported.join(', ')}'.`,
    );
  }
  throw new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${version}' is invalid. The supported versions are '${supported.join(',')}'.`,
  );
}
