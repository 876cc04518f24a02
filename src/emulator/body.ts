/**
 * Request bodies: read with a size limit, parsed as JSON only by the endpoints that need one.
 */
import type { IncomingMessage } from 'node:http';
import { paramError } from './errors.js';

/** A read body. */
export interface ReadBody {
  bytes: Buffer;
  /** More than the limit arrived; the rest was discarded and `bytes` is empty. */
  tooLarge: boolean;
}

/**
 * Reads the whole body, keeping at most `maxBytes`. The excess is drained rather than left
 * unread, so the client still gets the error envelope instead of a reset connection.
 *
 * @example
 * ```ts
 * const { bytes, tooLarge } = await readBody(req, 1_048_576);
 * ```
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const done = () => resolve(tooLarge ? { bytes: Buffer.alloc(0), tooLarge } : { bytes: Buffer.concat(chunks), tooLarge });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) chunks.push(chunk);
    });
    req.once('end', done);
    // A client that goes away mid-body never sends 'end'; 'close' still fires.
    req.once('close', done);
    req.once('error', done);
  });
}

/**
 * Parses a JSON object body: 40002 when it is not one.
 *
 * @example
 * ```ts
 * parseJsonObject(Buffer.from('{"id":"1001"}')); // { id: '1001' }
 * ```
 */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw paramError('Request body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw paramError('Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
