/**
 * Calls to TapTalk's client API with the session's access token (SES-9): a refused token reports
 * `server.tokenExpired`, waits for the one refresh the machine runs for everybody (SES-5), and
 * retries once. A second refusal goes to the caller; nothing loops.
 */
import { TapTalkError } from './errors.js';
import { request, type HttpConfig } from './protocol/http.js';
import { apiUrl } from './protocol/url.js';

export interface AuthorizedRequestDeps {
  http(): Promise<HttpConfig>;
  /** The access token now, or null when the session has none. */
  token(): string | null;
  /** Resolves once a token other than `stale` is in hand; rejects when the refresh fails. */
  renewed(stale: string): Promise<void>;
  signal: AbortSignal;
}

/** Makes `(path, body) => data`: `POST /v1/<path>` with the access token. */
export function authorizedRequest(deps: AuthorizedRequestDeps) {
  const once = async (path: string, body: unknown, token: string) => {
    const cfg = await deps.http();
    const { data } = await request(cfg, { method: 'POST', url: apiUrl(cfg.baseUrl, path), bearer: token, body, signal: deps.signal });
    return data;
  };
  return async (path: string, body: unknown = {}): Promise<Record<string, unknown>> => {
    const token = deps.token();
    if (token === null) throw new TapTalkError('90006');
    try {
      return await once(path, body, token);
    } catch (error) {
      if (!(error instanceof TapTalkError && error.isAuthError)) throw error;
      await deps.renewed(token);
      const fresh = deps.token();
      if (fresh === null) throw new TapTalkError('90006');
      return once(path, body, fresh);
    }
  };
}
