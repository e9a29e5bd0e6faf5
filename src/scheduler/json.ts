import { z } from 'zod';

/** A JSON value: what a job's params and an outbound activity may hold (they are stored and sent as JSON). */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Deeper than any params Laget writes; deeper input is refused rather than walked. */
const MAX_DEPTH = 32;

/**
 * Checked by a plain walk: a recursive zod union (z.lazy) tries every member at every level and
 * cost half a millisecond per job on the approval path (the benchmark's profile).
 */
function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth >= MAX_DEPTH || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  return isJsonObject(value, depth);
}

function isJsonObject(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

export const JsonObjectSchema = z.custom<JsonObject>((value) => isJsonObject(value, 0), 'expected a JSON object');
