/** The logger the engine calls: the app's, or `console` by default; the facade's too. */
import type { Logger } from '../options.js';

/**
 * `logger` (default: `console`, each message tagged) with each call guarded (SES-64): what a
 * logger throws is dropped, since it runs inside the engine's handlers, where a throw would
 * become the app's unhandled rejection.
 */
export function guardedLogger(logger?: Logger): Logger {
  const call =
    (level: keyof Logger) =>
    (message: string, ...details: unknown[]) => {
      try {
        if (logger) logger[level](message, ...details);
        else console[level](`[taptalk-session] ${message}`, ...details);
      } catch {
        // Nowhere left to report it.
      }
    };
  return { warn: call('warn'), error: call('error') };
}
