/** Shape checks for JSON from the server or from storage. */

/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with at least one character (tokens, ids). */
export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
