import { afterEach, describe, expect, it, vi } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { request, type HttpConfig } from '../../src/protocol/http.js';
import { encodeAppKey } from '../../src/protocol/identity.js';

const TOKEN = 'access-token-SECRET-0123456789';
const APP_KEY = encodeAppKey('app', 'app-secret-value');

const ok = (data: unknown = {}) => JSON.stringify({ status: 200, error: { code: '', message: '', field: '' }, data });

function config(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, extra: Partial<HttpConfig> = {}): HttpConfig {
  return {
    baseUrl: 'https://chat.example.com',
    identity: { appKey: APP_KEY, deviceID: 'dev-1', deviceModel: 'Test', platform: 'web', sdkVersion: '0.1.0' },
    fetch: fetchImpl as typeof fetch,
    timeoutMs: 1000,
    maxBodyBytes: 1024,
    ...extra,
  };
}

const post = { method: 'POST' as const, url: 'https://chat.example.com/v1/client/logout', bearer: TOKEN };

async function rejectionOf(promise: Promise<unknown>): Promise<TapTalkError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TapTalkError);
    return error as TapTalkError;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(error: TapTalkError): void {
  for (const text of [error.message, String(error), String((error.cause as Error | undefined)?.message ?? '')]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(APP_KEY);
  }
}

/** A fetch that only settles when its signal aborts, like a real one on a hung connection. */
const hangingFetch = (_url: string, init: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('request: success', () => {
  it('POSTs JSON with the client headers and returns data', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const cfg = config(async (url, init) => {
      calls.push({ url, init });
      return new Response(ok({ success: true }));
    });
    const result = await request(cfg, post);
    expect(result).toEqual({ data: { success: true } });
    const [call] = calls;
    expect(call?.url).toBe(post.url);
    expect(call?.init.method).toBe('POST');
    expect(call?.init.body).toBe('{}');
    expect(call?.init.headers).toMatchObject({
      Authorization: `Bearer ${TOKEN}`,
      'App-Key': APP_KEY,
      'Device-Identifier': 'dev-1',
      'Content-Type': 'application/json',
    });
  });

  it('serialises the given body', async () => {
    let body: unknown;
    await request(config(async (_u, init) => ((body = init.body), new Response(ok()))), { ...post, body: { id: 'u1' } });
    expect(body).toBe('{"id":"u1"}');
  });

  it('sends GET without a body or content type', async () => {
    let init: RequestInit | undefined;
    await request(config(async (_u, i) => ((init = i), new Response(ok()))), { method: 'GET', url: 'https://h/connect?check=1' });
    expect(init?.body).toBeUndefined();
    expect(init?.headers).not.toHaveProperty('Content-Type');
    expect(init?.headers).not.toHaveProperty('Authorization');
  });

  it('calls fetch detached, as browsers require of the native one', async () => {
    let self: unknown = 'unset';
    const fetchImpl = function (this: unknown) {
      self = this;
      return Promise.resolve(new Response(ok()));
    };
    await request(config(fetchImpl), post);
    expect(self).toBeUndefined();
  });

  it('reads the Date header into serverTime', async () => {
    const date = 'Tue, 24 Nov 2026 10:00:00 GMT';
    const result = await request(config(async () => new Response(ok(), { headers: { date } })), post);
    expect(result.serverTime).toBe(Date.parse(date));
  });

  it('ignores an invalid Date header', async () => {
    const result = await request(config(async () => new Response(ok(), { headers: { date: 'yesterday-ish' } })), post);
    expect(result).not.toHaveProperty('serverTime');
  });

  it('reads the envelope of a real HTTP 401 (weakness 1)', async () => {
    const body = JSON.stringify({ status: 401, error: { code: '40104', message: 'Token expired', field: '' }, data: {} });
    const error = await rejectionOf(request(config(async () => new Response(body, { status: 401 })), post));
    expect(error.code).toBe('40104');
  });

  it('clears its timer once the request settles', async () => {
    vi.useFakeTimers();
    await request(config(async () => new Response(ok())), post);
    expect(vi.getTimerCount()).toBe(0);
    await rejectionOf(request(config(async () => new Response('<html>', { status: 502 })), post));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('request: transport failures', () => {
  it('maps a network TypeError to a retryable 90004', async () => {
    const error = await rejectionOf(request(config(() => Promise.reject(new TypeError('fetch failed'))), post));
    expect(error.code).toBe('90004');
    expect(error.retryable).toBe(true);
  });

  it('maps a fetch that throws synchronously, or throws a non-error, to 90004', async () => {
    const sync = config(() => {
      throw new TypeError('boom');
    });
    expect((await rejectionOf(request(sync, post))).code).toBe('90004');
    expect((await rejectionOf(request(config(() => Promise.reject('just a string')), post))).code).toBe('90004');
  });

  it('times out with 95001 when the server hangs', async () => {
    const error = await rejectionOf(request(config(hangingFetch, { timeoutMs: 20 }), post));
    expect(error.code).toBe('95001');
    expect(error.retryable).toBe(true);
  });

  it('times out even when the injected fetch ignores the signal', async () => {
    vi.useFakeTimers();
    const pending = rejectionOf(request(config(() => new Promise<Response>(() => undefined), { timeoutMs: 5000 }), post));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await pending).code).toBe('95001');
  });

  it('times out while the body is still streaming', async () => {
    const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"sta')) });
    const error = await rejectionOf(request(config(async () => new Response(stalled), { timeoutMs: 20 }), post));
    expect(error.code).toBe('95001');
  });

  it('reports a caller abort as 95017, not as a timeout or network error', async () => {
    const controller = new AbortController();
    const pending = rejectionOf(request(config(hangingFetch), { ...post, signal: controller.signal }));
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('95017');
  });

  it('does not call fetch for an already aborted signal', async () => {
    const fetchImpl = vi.fn(async () => new Response(ok()));
    const error = await rejectionOf(request(config(fetchImpl), { ...post, signal: AbortSignal.abort() }));
    expect(error.code).toBe('95017');
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('refuses a body announced too large by Content-Length', async () => {
    const big = new Response('x'.repeat(10), { headers: { 'content-length': '5000' } });
    const error = await rejectionOf(request(config(async () => big), post));
    expect(error.code).toBe('95003');
    expect(error.status).toBe(200);
  });

  it('refuses a streamed body that grows past the limit and cancels the stream', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(300).fill(32));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await rejectionOf(request(config(async () => new Response(endless)), post));
    expect(error.code).toBe('95003');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('maps a body stream that errors to 90004', async () => {
    const broken = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('reset')) });
    expect((await rejectionOf(request(config(async () => new Response(broken)), post))).code).toBe('90004');
  });

  it('reads ArrayBuffer and view chunks, and maps a non-binary chunk to 90004', async () => {
    const chunks = (...parts: unknown[]) =>
      new ReadableStream({
        start(c) {
          for (const part of parts) c.enqueue(part);
          c.close();
        },
      });
    const [head, tail] = [ok().slice(0, 10), ok().slice(10)];
    const mixed = chunks(new TextEncoder().encode(head).buffer, new DataView(new TextEncoder().encode(tail).buffer));
    expect(await request(config(async () => new Response(mixed as ReadableStream<Uint8Array>)), post)).toEqual({ data: {} });
    const text = chunks('{"status":200}');
    expect((await rejectionOf(request(config(async () => new Response(text as ReadableStream<Uint8Array>)), post))).code).toBe('90004');
  });

  it('maps an unserialisable body to 95011 without calling fetch', async () => {
    const fetchImpl = vi.fn(async () => new Response(ok()));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await rejectionOf(request(config(fetchImpl), { ...post, body: cyclic }))).code).toBe('95011');
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe('request: secrets stay out of errors', () => {
  it('scrubs a bearer that the runtime quotes in its error (Node: invalid header value)', async () => {
    const bearer = `${TOKEN}\nX-Injected: 1`;
    const error = await rejectionOf(request(config(globalThis.fetch), { ...post, url: 'http://127.0.0.1:9/x', bearer }));
    expect(error.code).toBe('90004');
    expect((error.cause as Error).message).toContain('[redacted]');
    expectNoSecrets(error);
  });

  it('scrubs the token when a server echoes it in its message', async () => {
    const body = JSON.stringify({ status: 401, error: { code: '40103', message: `Token ${TOKEN} invalid`, field: '' }, data: {} });
    const error = await rejectionOf(request(config(async () => new Response(body)), post));
    expect(error.code).toBe('40103');
    expect(error.status).toBe(401);
    expectNoSecrets(error);
  });

  it.each([
    ['network', () => Promise.reject(new TypeError(`failed with ${TOKEN} and ${APP_KEY}`))],
    ['timeout', hangingFetch],
    ['not an envelope', async () => new Response(`<html>${TOKEN}</html>`, { status: 500 })],
  ])('never shows the token or the app key on %s', async (_name, fetchImpl) => {
    const error = await rejectionOf(request(config(fetchImpl as never, { timeoutMs: 20 }), post));
    expectNoSecrets(error);
  });
});
