/** What the bench takes from the engine, bundled as the package ships it (see engine.ts). */
export { createSession } from '../../../src/session/create-session.js';
export { sessionMachine, publicStateOf } from '../../../machines/index.js';
export { memoryStorage } from '../../../src/storage/memory.js';
