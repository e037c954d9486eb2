import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { RetryableError, TerminalError } from '../../errors';
import type { SecretSource } from '../secrets';

/** Permission the function role needs on the two parameters (serverless.yml grants it on exactly those). */
export const SSM_SECRET_PERMISSIONS = ['ssm:GetParameter'] as const;

/**
 * SecureString parameters from SSM Parameter Store, decrypted with the account's KMS key (`WithDecryption`).
 * AWS_ENDPOINT_URL_SSM points the client at a stand-in (the SDK reads it itself).
 */
export class SsmSecretSource implements SecretSource {
  constructor(private readonly client: SSMClient = new SSMClient({ maxAttempts: 3 })) {}

  async get(name: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound) return undefined;
      const code = error instanceof Error ? error.name : 'Error';
      // The SDK's message never holds the value, but keep only the code and the parameter name anyway.
      if (code === 'ThrottlingException' || code === 'InternalServerError')
        throw new RetryableError(`reading SSM parameter ${name}: ${code}`);
      throw new TerminalError(`reading SSM parameter ${name}: ${code}`, { code });
    }
  }
}
