/** Types for the Lambda bundles' stand-in for the SDK's default credential chain (lambda-credentials.cjs). */
export interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export declare function defaultProvider(): () => Promise<EnvironmentCredentials>;
