import { z } from 'zod';

/**
 * A person's ids become document ids and query parameters: only the shapes Teams uses get in.
 * `from.id` is an MRI (29:1AbC-_…, or a Playground's user-id-0); `aadObjectId` an Entra object id (a GUID).
 */
const ChannelAccountId = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9:._@-]+$/, 'is not a channel account id');
const EntraObjectId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'is not an Entra object id');

/**
 * The least an incoming activity must have before it is handed to the adapter. The envelope
 * stays open (Teams adds fields over time); the card payload inside `value` is parsed strictly
 * by the verb's own schema later.
 */
export const ActivityEnvelope = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    conversation: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    from: z.object({ id: ChannelAccountId, aadObjectId: EntraObjectId.optional() }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    text: z.string().max(28_000).optional().nullable(),
    name: z.string().max(256).optional().nullable(),
    /** Read on every turn (the language of the answer): a string or nothing. */
    locale: z.string().max(64).optional().nullable(),
  })
  .passthrough();
