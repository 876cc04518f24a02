/**
 * Auth tickets (reference §3.1): minted by E1, exchanged once (by default) by E2, valid 1 h.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

interface Ticket {
  userID: string;
  expiresAt: number;
  used: boolean;
}

/**
 * Per-instance ticket storage.
 *
 * @example
 * ```ts
 * const tickets = new TicketBook();
 * const ticket = tickets.issue('1001', Date.now() + 3_600_000);
 * tickets.redeem(ticket, Date.now(), true); // '1001'
 * ```
 */
export class TicketBook {
  readonly #tickets = new Map<string, Ticket>();

  /** Mints a ticket for `userID` that expires at `expiresAt` (server clock). */
  issue(userID: string, expiresAt: number): string {
    const ticket = randomBytes(32).toString('base64url');
    this.#tickets.set(ticket, { userID, expiresAt, used: false });
    return ticket;
  }

  /**
   * Returns the ticket's userID and marks it used: 40103 when unknown or (single use) used
   * before, 40104 when expired.
   */
  redeem(ticket: string, now: number, singleUse: boolean): string {
    const entry = this.#tickets.get(ticket);
    if (entry === undefined || (singleUse && entry.used)) throw new ApiError('40103', 'Invalid auth ticket');
    if (now >= entry.expiresAt) throw new ApiError('40104', 'Auth ticket has expired');
    entry.used = true;
    return entry.userID;
  }
}
