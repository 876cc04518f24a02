/**
 * The registry of open WebSocket connections, by user and by login session.
 */
import type { WebSocket } from 'ws';

/** One accepted WebSocket. */
export interface Connection {
  readonly ws: WebSocket;
  readonly xcUserID: string;
  readonly userID: string;
  readonly sessionID: string;
  /** Answered the last ping (or has not been pinged yet). */
  alive: boolean;
  /** Under the halfOpen fault: silent in both directions. */
  halfOpen: boolean;
}

/**
 * Per-instance set of connections.
 *
 * @example
 * ```ts
 * const connections = new Connections();
 * connections.add(conn);
 * connections.ofUser('alice'); // [conn]
 * ```
 */
export class Connections {
  readonly #all = new Set<Connection>();

  add(conn: Connection): void {
    this.#all.add(conn);
  }

  delete(conn: Connection): void {
    this.#all.delete(conn);
  }

  /** A copy, so callers may close sockets while iterating. */
  all(): Connection[] {
    return [...this.#all];
  }

  get size(): number {
    return this.#all.size;
  }

  ofUser(xcUserID: string): Connection[] {
    return this.all().filter((conn) => conn.xcUserID === xcUserID);
  }

  ofSession(sessionID: string): Connection[] {
    return this.all().filter((conn) => conn.sessionID === sessionID);
  }

  /** Whether the user (by emulator userID) has an open socket. */
  isOnline(userID: string): boolean {
    return this.all().some((conn) => conn.userID === userID);
  }
}
