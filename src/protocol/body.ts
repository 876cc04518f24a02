/**
 * Reads a response body with a byte limit, so a misconfigured proxy or a hostile server cannot
 * make the client buffer an arbitrary amount of data.
 */

/** Thrown by {@link readLimitedText}; `request()` maps it to `95003`. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`Response body exceeds ${limit} bytes`);
  }
}

function cancelQuietly(response: Response): void {
  // Releasing the connection is best effort: a locked or already closed stream may refuse.
  try {
    response.body?.cancel().catch(() => undefined);
  } catch {
    /* ignored */
  }
}

/**
 * The body as UTF-8 text, refusing more than `maxBytes`: first by `Content-Length`, then while
 * streaming (the header can be absent or wrong). A non-finite limit means no limit.
 *
 * @throws BodyTooLarge when the limit is exceeded; whatever the stream throws otherwise.
 * @example
 * ```ts
 * const text = await readLimitedText(response, 1 << 20);
 * ```
 */
export async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const limit = Number.isFinite(maxBytes) && maxBytes >= 0 ? maxBytes : Number.POSITIVE_INFINITY;
  const declared = Number(response.headers.get('content-length')); // 0 when absent
  if (Number.isFinite(declared) && declared > limit) {
    cancelQuietly(response);
    throw new BodyTooLarge(limit);
  }
  const stream = response.body;
  if (typeof stream?.getReader !== 'function') {
    // No stream (a 204, or a minimal fetch polyfill): the text is already bounded by the runtime.
    const text = await response.text();
    if (new TextEncoder().encode(text).byteLength > limit) throw new BodyTooLarge(limit);
    return text;
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    // Chunks are bytes: any ArrayBuffer or view decodes, anything else makes decode() throw a TypeError.
    total += (value as BufferSource).byteLength;
    if (total > limit) {
      reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    text += decoder.decode(value as BufferSource, { stream: true });
  }
}
