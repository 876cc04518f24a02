/**
 * What a route sees and returns. A route returns the `data` of a success envelope or throws an
 * {@link ApiError}; the server writes the envelope.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../credentials.js';

/** A parsed request. */
export interface RouteRequest {
  readonly method: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly credentials: Credentials;
  /** Raw body (empty for none). */
  readonly body: Buffer;
  readonly remoteAddress: string | undefined;
}

/** An endpoint handler. */
export type Route = (req: RouteRequest) => unknown;

/** Routes by `'<METHOD> <pathname>'`, e.g. `'POST /v1/client/logout'`. */
export type RouteTable = Map<string, Route>;
