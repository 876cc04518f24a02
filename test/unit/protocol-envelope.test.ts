import { describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { failureFromTransport, parseEnvelope, type EnvelopeResult } from '../../src/protocol/envelope.js';

const envelope = (status: number, code: string, data: unknown = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ status, error: { code, message: '', field: '', ...extra }, data });

function failure(result: EnvelopeResult): TapTalkError {
  if (result.ok) throw new Error('expected a failure');
  expect(result.error).toBeInstanceOf(TapTalkError);
  return result.error;
}

describe('parseEnvelope: success', () => {
  it('returns data of a 200 envelope with an empty code', () => {
    expect(parseEnvelope(200, envelope(200, '', { accessToken: 'a' }))).toEqual({ ok: true, data: { accessToken: 'a' } });
  });

  it('accepts any 2xx status', () => {
    expect(parseEnvelope(204, envelope(201, '')).ok).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'x'],
  ])('refuses data that is %s with 95002', (_name, data) => {
    const error = failure(parseEnvelope(200, envelope(200, '', data)));
    expect(error.code).toBe('95002');
    expect(error.retryable).toBe(false);
  });

  it('refuses a success envelope without data', () => {
    expect(failure(parseEnvelope(200, '{"status":200,"error":{"code":"","message":"","field":""}}')).code).toBe('95002');
  });
});

describe('parseEnvelope: server errors', () => {
  it.each([
    ['40002', 400],
    ['40104', 401],
    ['40301', 403],
    ['40401', 404],
    ['49102', 491],
    ['49201', 492],
    ['50001', 500],
  ])('keeps code %s with envelope status %i', (code, status) => {
    const error = failure(parseEnvelope(200, envelope(status, code)));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('gives 40104 for a real HTTP 401 carrying the envelope (weakness 1)', () => {
    const error = failure(parseEnvelope(401, envelope(401, '40104', {}, { message: 'Token expired' })));
    expect(error.code).toBe('40104');
    expect(error.status).toBe(401);
    expect(error.isAuthError).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('carries the validation field and the server message', () => {
    const error = failure(parseEnvelope(200, envelope(400, '40002', {}, { message: "Param 'xcUserID' is required", field: '105' })));
    expect(error.field).toBe('105');
    expect(error.message).toBe("Param 'xcUserID' is required");
  });

  it('leaves field undefined when it is empty', () => {
    expect(failure(parseEnvelope(200, envelope(401, '40103'))).field).toBeUndefined();
  });

  it('uses the table message when the server sends none, and cuts long messages to 200 characters', () => {
    expect(failure(parseEnvelope(200, envelope(401, '40104'))).message).toBe('Token expired');
    const long = failure(parseEnvelope(200, envelope(400, '40002', {}, { message: 'x'.repeat(5000) })));
    expect(long.message).toHaveLength(200);
  });

  it('uses the HTTP status when the envelope has none', () => {
    const body = JSON.stringify({ error: { code: '40103', message: '', field: '' }, data: {} });
    expect(failure(parseEnvelope(401, body)).status).toBe(401);
  });

  it('makes 5xx and 429 retryable whatever the code', () => {
    expect(failure(parseEnvelope(200, envelope(503, '99999'))).retryable).toBe(true);
    expect(failure(parseEnvelope(429, envelope(429, '42901'))).retryable).toBe(true);
    expect(failure(parseEnvelope(200, envelope(400, '99999'))).retryable).toBe(false);
  });

  it('keeps an unknown server code as it is', () => {
    const error = failure(parseEnvelope(200, envelope(418, '41801')));
    expect(error.code).toBe('41801');
  });
});

describe('parseEnvelope: not an envelope (95002)', () => {
  it('makes an HTTP 502 HTML page retryable', () => {
    const error = failure(parseEnvelope(502, '<html><body>Bad Gateway</body></html>'));
    expect(error.code).toBe('95002');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
  });

  it('does not retry an HTTP 404 HTML page', () => {
    const error = failure(parseEnvelope(404, '<!doctype html><h1>Not Found</h1>'));
    expect(error.code).toBe('95002');
    expect(error.retryable).toBe(false);
  });

  it('does not echo the body in the message', () => {
    const error = failure(parseEnvelope(500, '<html>secret-internal-detail</html>'));
    expect(error.message).not.toContain('secret-internal-detail');
  });

  it.each([
    ['an empty body', ''],
    ['truncated JSON', '{"status":200,"error":{"code":""'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a missing error object', '{"status":200,"data":{}}'],
    ['error: {} (reference §1.3)', '{"status":200,"error":{},"data":{}}'],
    ['a non-string code', '{"status":401,"error":{"code":40104,"message":"","field":""},"data":{}}'],
    ['error as a string', '{"status":200,"error":"","data":{}}'],
  ])('refuses %s', (_name, body) => {
    const error = failure(parseEnvelope(200, body));
    expect(error.code).toBe('95002');
    expect(error.status).toBe(200);
    expect(error.retryable).toBe(false);
  });

  it('refuses an empty code with a failure envelope status', () => {
    const error = failure(parseEnvelope(200, envelope(500, '')));
    expect(error.code).toBe('95002');
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
  });

  it('refuses an empty code with a failure HTTP status', () => {
    const error = failure(parseEnvelope(503, envelope(200, '')));
    expect(error.code).toBe('95002');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });
});

describe('failureFromTransport', () => {
  it.each([
    ['network', '90004', true],
    ['timeout', '95001', true],
    ['aborted', '95017', true],
    ['too_large', '95003', false],
  ] as const)('maps %s to %s', (reason, code, retryable) => {
    const cause = new TypeError('fetch failed');
    const error = failureFromTransport(cause, reason, reason === 'too_large' ? 200 : undefined);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(cause);
  });

  it('keeps the status when given', () => {
    expect(failureFromTransport(undefined, 'too_large', 200).status).toBe(200);
  });

  it('scrubs URL queries from the cause', () => {
    const cause = new Error('connect failed: wss://h/connect?authorization=Bearer%20tok-123456');
    const error = failureFromTransport(cause, 'network');
    expect(String((error.cause as Error).message)).not.toContain('tok-123456');
    expect(String((error.cause as Error).message)).toContain('wss://h/connect?');
  });
});
