/**
 * UTF-8 to text without `TextDecoder`, which Hermes (React Native's engine) lacks before RN 0.85
 * (facebook/hermes#1403): the server's frames are binary. Uses `TextDecoder` where there is one.
 */

/**
 * Decodes UTF-8 as the Encoding Standard's decoder does: each invalid sequence becomes one U+FFFD
 * (so one bad byte spoils one line of a frame, as with `TextDecoder`).
 */
export function decodeUtf8(data: ArrayBuffer | ArrayBufferView): string {
  if (typeof TextDecoder === 'function') return new TextDecoder().decode(data);
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  let text = '';
  let needed = 0;
  let seen = 0;
  let code = 0;
  // The range the next continuation byte must fall in (narrower after E0, ED, F0, F4).
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (needed === 0) {
      if (byte < 0x80) text += String.fromCharCode(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) (needed = 1), (code = byte & 0x1f);
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        (needed = 2), (code = byte & 0x0f);
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        (needed = 3), (code = byte & 0x07);
      } else text += '\ufffd';
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence ends here; this byte starts over.
      text += '\ufffd';
      (needed = 0), (seen = 0), (lower = 0x80), (upper = 0xbf);
      i--;
      continue;
    }
    (lower = 0x80), (upper = 0xbf);
    code = (code << 6) | (byte & 0x3f);
    if (++seen === needed) {
      text += String.fromCodePoint(code);
      (needed = 0), (seen = 0);
    }
  }
  return needed === 0 ? text : `${text}\ufffd`;
}
