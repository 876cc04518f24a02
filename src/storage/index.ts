/**
 * Storage adapters and the persisted-session codec. Browser-safe; the Node-only `fileStorage`
 * lives in `./file.ts` and is exported from the Node entry instead.
 */
export type { StorageAdapter } from './types.js';
export { memoryStorage } from './memory.js';
export { webStorage } from './web.js';
export { decodeStoredSession, encodeStoredSession, type StoredSession } from './session-codec.js';
export { storageKeys } from './keys.js';
