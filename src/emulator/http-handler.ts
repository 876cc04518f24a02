/**
 * The HTTP side: preflights, stats, latency, injected failures, body limit, routing, pages and
 * the envelope, in that order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body.js';
import type { EmulatorContext } from './context.js';
import { corsHeaders } from './cors.js';
import { readCredentials } from './credentials.js';
import { failure, ok, type Envelope } from './envelope.js';
import { ApiError, paramError } from './errors.js';
import { pageContentType } from './pages.js';
import type { RouteTable } from './routes/route.js';
import { requestUrl } from './request-url.js';
import { requestKey, UNROUTED } from './stats.js';

/** What to write back. */
type Answer = { envelope: Envelope; httpStatus: number } | { page: string; contentType: string };

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('50001', 'Internal emulator error');
}

const isAdminPath = (pathname: string) => pathname.startsWith('/_emulator/');

async function answer(ctx: EmulatorContext, routes: RouteTable, known: ReadonlySet<string>, req: IncomingMessage, url: URL): Promise<Answer> {
  const key = requestKey(url.pathname, url.searchParams);
  const admin = isAdminPath(url.pathname);
  if (!admin) ctx.stats.request(known.has(url.pathname) || ctx.options.pages[url.pathname] !== undefined ? key : UNROUTED);
  const body = await readBody(req, ctx.options.maxBodyBytes);
  if (!admin) ctx.requests?.push(req.method ?? 'GET', url, req.headers, body.bytes.toString('utf8'));
  // The control plane is never slowed or failed by the faults it controls: a long latency must
  // stay undoable with `faults/reset`.
  if (!admin) await ctx.timers.sleep(ctx.faults.latencyMs);
  try {
    const injected = admin ? undefined : ctx.faults.takeFailure(key, url.pathname);
    if (injected !== undefined) {
      throw new ApiError(injected.code, injected.message ?? 'Injected failure', '', injected.status, injected.httpStatus);
    }
    if (body.tooLarge) throw paramError('Request body too large');
    const method = req.method ?? 'GET';
    const route = routes.get(`${method} ${url.pathname}`);
    if (route !== undefined) {
      const data = await route({
        method,
        pathname: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        credentials: readCredentials(req.headers, url.searchParams),
        body: body.bytes,
        remoteAddress: req.socket.remoteAddress,
      });
      return { envelope: ok(data), httpStatus: 200 };
    }
    const page = method === 'GET' ? ctx.options.pages[url.pathname] : undefined;
    if (page !== undefined) return { page: await page(), contentType: pageContentType(url.pathname) };
    throw new ApiError('40401', `Not found: ${method} ${url.pathname}`);
  } catch (error) {
    const apiError = asApiError(error);
    const httpStatus = apiError.httpStatus ?? (ctx.options.mirrorHttpStatus ? apiError.status : 200);
    return { envelope: failure(apiError), httpStatus };
  }
}

function write(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * The `request` listener of an instance's HTTP server. Never rejects: any failure becomes a
 * 50001 envelope, or is dropped if the client is gone.
 *
 * @example
 * ```ts
 * const server = createServer(createRequestHandler(ctx, routes));
 * ```
 */
export function createRequestHandler(ctx: EmulatorContext, routes: RouteTable) {
  const known = new Set([...routes.keys()].map((route) => route.slice(route.indexOf(' ') + 1)));
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = requestUrl(req.url);
    // No CORS on the admin endpoints: any page in the developer's browser could otherwise read
    // the keys, mint tickets and switch faults. The playground is same-origin and needs none.
    // Decided on the path as routed (`/x/../_emulator/info` is the admin route), not as sent.
    const cors = isAdminPath(url.pathname) ? {} : corsHeaders(req.headers);
    if (req.method === 'OPTIONS') {
      write(res, 204, cors, '');
      return;
    }
    answer(ctx, routes, known, req, url)
      .then((result) => {
        // `Date` from the emulator's own clock, so a skewed or simulated clock shows on the wire.
        const date = new Date(ctx.options.now()).toUTCString();
        const headers = { ...cors, 'Content-Type': 'application/json; charset=utf-8', Date: date };
        if ('page' in result) write(res, 200, { ...cors, 'Content-Type': result.contentType }, result.page);
        else write(res, result.httpStatus, headers, JSON.stringify(result.envelope));
      })
      .catch(() => {
        if (!res.headersSent) res.destroy();
      });
  };
}
