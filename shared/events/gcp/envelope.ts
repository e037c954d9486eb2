import { z } from 'zod';
export { CloudEventSchema } from '../cloud-event';

/** Eventarc's CloudEvent type for Cloud Audit Logs entries. */
export const AUDIT_LOG_WRITTEN = 'google.cloud.audit.log.v1.written';

/** google.events.cloud.audit.v1.LogEntryData: the fields peerkeeper reads, everything else passes through. */
export const LogEntryDataSchema = z.looseObject({
  protoPayload: z.looseObject({
    methodName: z.string().min(1),
    serviceName: z.string().optional(),
    resourceName: z.string().optional(),
    authenticationInfo: z.looseObject({ principalEmail: z.string().optional() }).nullish(),
    /** google.rpc.Status; `{}` or code 0 is OK. */
    status: z
      .looseObject({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() })
      .nullish(),
    request: z.unknown().optional(),
    response: z.unknown().optional(),
  }),
  /** Long-running operations log a `first` entry when they start and a `last` entry when they end. */
  operation: z
    .looseObject({ id: z.string().optional(), first: z.boolean().optional(), last: z.boolean().optional() })
    .nullish(),
  resource: z.looseObject({ labels: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  timestamp: z.string().optional(),
});
export type LogEntryData = z.infer<typeof LogEntryDataSchema>;
