import { z } from 'zod';

/** A structured-mode CloudEvent 1.0 (Eventarc; Event Grid's CloudEvents schema; binary mode is turned into the same shape by cloudEventFromBinary). */
export const CloudEventSchema = z.looseObject({
  specversion: z.string().min(1),
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  subject: z.string().optional(),
  time: z.string().optional(),
  data: z.unknown().optional(),
});
