'use strict';
/**
 * What the Lambda bundles get instead of @aws-sdk/credential-provider-node, the SDK's default credential chain.
 * Lambda always puts the function role's credentials in the environment, so the chain's other links — ini and
 * SSO profiles, `credential_process`, web identity, container and instance metadata, and the STS, SSO and
 * sign-in clients they carry — never run there; leaving them out takes 115 KiB off every bundle. The CLI and
 * the tests are not bundled and keep the full chain.
 */
function defaultProvider() {
  return async () => {
    const env = process.env;
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
      throw new Error(
        'no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): this bundle is built for Lambda, which sets them',
      );
    }
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
  };
}

module.exports = { defaultProvider };
