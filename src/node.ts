/** The Node entry: everything in the main entry, plus the Node-only file storage. */
export * from './index.js';
export { fileStorage } from './storage/file.js';
