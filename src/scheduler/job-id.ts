import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Job ids are deterministic (the same reminder always gets the same id, so any number of
 * instances creating it make one document) and safe as Cosmos ids, which cannot contain
 * `/ \ ? #`. Parts are joined with `:`; each part is escaped, so ids from Teams
 * (`19:abc@thread.tacv2`, `a:1x…`) can neither break the id nor collide through the separator.
 */
export const JobIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\?#]+$/, 'a job id cannot contain / \\ ? or #');
export type JobId = z.infer<typeof JobIdSchema>;

/**
 * Characters kept as they are. Any other character becomes `~` plus two hex digits (code points
 * below 256) or `~u` plus six (the rest, lone surrogates included): decodable, so two different
 * parts never give the same id.
 */
const SAFE = /^[A-Za-z0-9._@=-]$/;
/** Longer escaped parts are hashed, so that a job id stays well inside Cosmos' 255 characters. */
const MAX_PART = 96;

export function idPart(raw: string): string {
  let escaped = '';
  for (const char of raw) {
    const code = char.codePointAt(0)!;
    escaped += SAFE.test(char)
      ? char
      : code < 0x100
        ? `~${code.toString(16).toUpperCase().padStart(2, '0')}`
        : `~u${code.toString(16).toUpperCase().padStart(6, '0')}`;
  }
  if (escaped.length <= MAX_PART) return escaped;
  // `~h` cannot come out of the escaping above (`~` is followed by a hex digit or `u`).
  return `~h${createHash('sha256').update(escaped).digest('base64url').slice(0, 32)}`;
}

/** `jobId('team', teamId, seriesId, meetingId, 'agenda')` → `team:19~3Aabc@thread.tacv2:…:agenda`. */
export function jobId(...parts: [string, ...string[]]): JobId {
  return JobIdSchema.parse(parts.map(idPart).join(':'));
}
