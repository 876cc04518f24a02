/**
 * The TapTalk wire protocol: URLs, client identity headers, the envelope, HTTP calls, endpoints
 * and the WebSocket frame codec. Browser-safe: no Node built-ins.
 */
export { apiUrl, probeUrl, resolveBaseUrl, socketUrl } from './url.js';
export { clientHeaders, encodeAppKey, socketCredentials, type ClientIdentity } from './identity.js';
export { failureFromTransport, parseEnvelope, type EnvelopeResult, type TransportFailure } from './envelope.js';
export { request, type HttpConfig, type HttpRequest, type HttpResult } from './http.js';
export {
  exchangeTicket,
  fetchProjectConfigs,
  getUserByID,
  logout,
  probeToken,
  refreshTokens,
  type ProjectConfigs,
} from './endpoints.js';
export { parseProjectConfigs, parseTokenGrant, parseUser } from './validate.js';
export { decodeFrames, encodeFrame, type ServerEvent } from './frames.js';
export { redactError, scrubCause, scrubText } from './redact.js';
