import { z } from 'zod';

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
    from: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    text: z.string().max(28_000).optional().nullable(),
    name: z.string().max(256).optional().nullable(),
    /** Read on every turn (the language of the answer): a string or nothing. */
    locale: z.string().max(64).optional().nullable(),
  })
  .passthrough();
