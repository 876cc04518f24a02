/**
 * The client endpoints of reference §1.4, one function each. Each validates what it returns, so
 * callers never see a half-shaped grant.
 */
import type { TapTalkUser, TokenGrant } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import { request, type HttpConfig } from './http.js';
import { apiUrl, probeUrl } from './url.js';
import { parseProjectConfigs, parseTokenGrant, parseUser, type ProjectConfigs } from './validate.js';

export type { ProjectConfigs } from './validate.js';

function requireToken(value: string, code: '90005' | '90006'): void {
  // Checked before any call: an empty bearer can only earn a 401 (iOS even sends it, §6).
  if (typeof value !== 'string' || value.trim() === '') throw new TapTalkError(code);
}

/**
 * E2: exchanges a one-time auth ticket for tokens (`POST /v1/auth/access_token/request`).
 *
 * @throws TapTalkError `90005` for an empty ticket; whatever `request()` rejects with; `95002` for a malformed grant.
 * @example
 * ```ts
 * const grant = await exchangeTicket(cfg, ticket, signal);
 * ```
 */
export async function exchangeTicket(cfg: HttpConfig, ticket: string, signal?: AbortSignal): Promise<TokenGrant> {
  requireToken(ticket, '90005');
  const url = apiUrl(cfg.baseUrl, 'auth/access_token/request');
  const { data, serverTime } = await request(cfg, { method: 'POST', url, bearer: ticket, signal });
  return parseTokenGrant(data, serverTime);
}

/**
 * E4: trades the refresh token for a new pair (`POST /v1/auth/access_token/refresh`). Both tokens
 * may rotate: store the whole grant.
 *
 * @throws TapTalkError `90006` for an empty token; the server's `401xx` when the refresh token is dead.
 * @example
 * ```ts
 * const grant = await refreshTokens(cfg, stored.refreshToken);
 * ```
 */
export async function refreshTokens(cfg: HttpConfig, refreshToken: string, signal?: AbortSignal): Promise<TokenGrant> {
  requireToken(refreshToken, '90006');
  const url = apiUrl(cfg.baseUrl, 'auth/access_token/refresh');
  const { data, serverTime } = await request(cfg, { method: 'POST', url, bearer: refreshToken, signal });
  return parseTokenGrant(data, serverTime);
}

/**
 * E3: checks the access token before opening the socket (`GET /connect?check=1`). Resolves when
 * the server accepts it; `data` is not used.
 *
 * @example
 * ```ts
 * await probeToken(cfg, accessToken); // rejects with code '40104' when it expired
 * ```
 */
export async function probeToken(cfg: HttpConfig, accessToken: string, signal?: AbortSignal): Promise<void> {
  requireToken(accessToken, '90006');
  await request(cfg, { method: 'GET', url: probeUrl(cfg.baseUrl), bearer: accessToken, signal });
}

/**
 * E5: ends the session on the server (`POST /v1/client/logout`). Callers clear local state
 * whatever the outcome; the rejection only tells them the server may still consider it alive.
 *
 * @example
 * ```ts
 * await logout(cfg, accessToken).catch((e) => report(e));
 * ```
 */
export async function logout(cfg: HttpConfig, accessToken: string, signal?: AbortSignal): Promise<void> {
  requireToken(accessToken, '90006');
  await request(cfg, { method: 'POST', url: apiUrl(cfg.baseUrl, 'client/logout'), bearer: accessToken, signal });
}

/**
 * E6: project limits and switches (`POST /v1/client/project_configs`); needs no user token.
 *
 * @example
 * ```ts
 * const { core } = await fetchProjectConfigs(cfg);
 * Number(core.chatMediaMaxFileSize ?? '26214400');
 * ```
 */
export async function fetchProjectConfigs(cfg: HttpConfig, signal?: AbortSignal): Promise<ProjectConfigs> {
  const url = apiUrl(cfg.baseUrl, 'client/project_configs');
  const { data } = await request(cfg, { method: 'POST', url, signal });
  return parseProjectConfigs(data);
}

/**
 * E7: one user by id (`POST /v1/client/user/get_by_id`, body `{id}`), e.g. to refresh the
 * active user.
 *
 * @example
 * ```ts
 * const me = await getUserByID(cfg, accessToken, grant.user.userID);
 * ```
 */
export async function getUserByID(
  cfg: HttpConfig,
  accessToken: string,
  userID: string,
  signal?: AbortSignal,
): Promise<TapTalkUser> {
  requireToken(accessToken, '90006');
  const url = apiUrl(cfg.baseUrl, 'client/user/get_by_id');
  const { data } = await request(cfg, { method: 'POST', url, bearer: accessToken, body: { id: userID }, signal });
  return parseUser(data.user);
}
