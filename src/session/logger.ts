/** The default {@link Logger}, also the facade's. */
import type { Logger } from '../options.js';

/** `console`, each message tagged. */
export const consoleLogger: Logger = {
  warn: (message, ...details) => console.warn(`[taptalk-session] ${message}`, ...details),
  error: (message, ...details) => console.error(`[taptalk-session] ${message}`, ...details),
};
