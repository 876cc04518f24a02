/**
 * Calls to TapTalk's client API with the session's access token (SES-9): a refused token reports
 * `server.tokenExpired`, waits for the one refresh the machine runs for everybody (SES-5), and
 * retries once. A second refusal goes to the caller; nothing loops.
 */
import { TapTalkError } from '../errors.js';
import { request, type HttpConfig } from '../protocol/http.js';
import { apiUrl } from '../protocol/url.js';

/** The token a call is made with, and the login it belongs to (SES-9: a call never outlives its login). */
export interface CallToken {
  accessToken: string;
  login: number;
}

export interface AuthorizedRequestDeps {
  http(): Promise<HttpConfig>;
  /** The access token now, or null when the session has none. */
  token(): CallToken | null;
  /** Resolves once a token other than `stale` is in hand; rejects when the refresh fails. */
  renewed(stale: CallToken): Promise<void>;
  signal: AbortSignal;
}

/** Makes `(path, body) => data`: `POST /v1/<path>` with the access token. */
export function authorizedRequest(deps: AuthorizedRequestDeps) {
  return async (path: string, body: unknown = {}): Promise<Record<string, unknown>> => {
    /** One request with `token`, the token of the moment; `90006` when there is none. */
    const attempt = async (token: CallToken | null) => {
      if (token === null) throw new TapTalkError('90006');
      const cfg = await deps.http();
      const { data } = await request(cfg, { method: 'POST', url: apiUrl(cfg.baseUrl, path), bearer: token.accessToken, body, signal: deps.signal });
      return data;
    };
    const token = deps.token();
    try {
      return await attempt(token);
    } catch (error) {
      // `90006` is no auth error: only a refused token is renewed and tried once more.
      if (!(error instanceof TapTalkError && error.isAuthError)) throw error;
      await deps.renewed(token!);
      return attempt(deps.token());
    }
  };
}
