/**
 * UTF-8 to text without `TextDecoder`, which Hermes (React Native's engine) lacks before RN 0.85
 * (facebook/hermes#1403): the server's frames are binary. Uses `TextDecoder` where there is one.
 * An invalid sequence becomes U+FFFD, as `TextDecoder` does, so one bad byte spoils one line only.
 */
export function decodeUtf8(data: ArrayBuffer | ArrayBufferView): string {
  if (typeof TextDecoder === 'function') return new TextDecoder().decode(data);
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    // The sequence length and the bits the lead byte contributes.
    const [length, initial, min] = lead < 0x80 ? [1, lead, 0] : lead >= 0xc2 && lead < 0xe0 ? [2, lead & 0x1f, 0x80] : lead >= 0xe0 && lead < 0xf0 ? [3, lead & 0x0f, 0x800] : lead >= 0xf0 && lead < 0xf5 ? [4, lead & 0x07, 0x10000] : [0, 0, 0];
    let code = initial;
    let used = 1;
    for (; used < length; used++) {
      const next = bytes[i + used];
      if (next === undefined || (next & 0xc0) !== 0x80) break;
      code = (code << 6) | (next & 0x3f);
    }
    if (length === 0 || used < length || code < min || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) {
      text += '\ufffd';
      i += Math.max(1, used);
    } else {
      text += String.fromCodePoint(code);
      i += length;
    }
  }
  return text;
}
