/** What a ticket must be to leave the device (SES-10). */

/**
 * Whether `ticket` may be sent: a string that is not blank and holds no control character (NUL,
 * CR, LF, the rest of C0, DEL). Such a ticket is the app's bad input, never the network's: sent,
 * it would either be refused by `fetch` as a header value (a retryable-looking network error) or
 * smuggle header lines.
 *
 * @example
 * ```ts
 * usableTicket('   '); // false
 * usableTicket('ticket\r\nX-Injected: 1'); // false
 * ```
 */
export const usableTicket = (ticket: unknown): boolean =>
  typeof ticket === 'string' && ticket.trim() !== '' && !/[\0-\x1f\x7f]/.test(ticket);
