/**
 * Part `rtt`, in Chromium: ticket → connected cross-origin, as real apps run. The page comes from
 * one loopback origin (a small page server here); the emulator, behind the same RTT proxy as the
 * Node figures (lib/rtt-proxy.ts), is another origin, so every distinct request costs a CORS
 * preflight. Three clients, each in a fresh browser context (no cached preflight, no storage):
 *
 * - our IIFE (dist/taptalk-session.global.js): `authenticate(ticket, { connect: true })` to
 *   `state$` saying `connected`;
 * - TapTalk's `@taptalk.io/web-sdk`: `authenticateWithAuthTicket(ticket, true, ...)`, then, on its
 *   last `onSuccess` (after its own probe), `connect()`, to `connect`'s `onSuccess` (the socket's
 *   `open`): its documented sequence, a 300 ms wait, the exchange, two probes, the upgrade;
 * - the floor, a script in the page: `fetch` of the exchange with the SDK's headers, then a
 *   `WebSocket` with the credentials in the query (a browser cannot set upgrade headers).
 *
 * Chromium is found as the browser tests find it (test/browser/chromium.ts); without it the part
 * is skipped with the install hint.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { ensureIife } from '../../scripts/build-iife.js';
import { officialSdkBundle, officialSdkVersion } from '../support/official-sdk.js';
import { CHROMIUM_PATH, INSTALL_HINT, chromiumFound, launchChromium } from '../browser/chromium.js';
import { requestTicket, type Target } from './lib/plain.js';
import { startRttProxy } from './lib/rtt-proxy.js';
import { median } from './lib/stats.js';

const SDK = '@taptalk.io/web-sdk';
/** The longest one login may take in the page before the part gives up. */
const LOGIN_DEADLINE_MS = 20_000;

/** Medians of one RTT, ms. */
export interface ChromiumRttFigures {
  rttMs: number;
  iterations: number;
  ours: number;
  official: number;
  floor: number;
}

export interface ChromiumRttResult {
  /** `null` when Chromium is not installed (the part was skipped). */
  chromium: string | null;
  officialVersion: string;
  figures: ChromiumRttFigures[];
}

const page = (scripts: string[]) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>rtt</title></head><body>${scripts.map((s) => `<script src="${s}"></script>`).join('')}</body></html>`;

/** The page origin: the IIFE, the official SDK's bundle and an empty page for the floor, on 127.0.0.1:0. */
async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, { type: string; body: string }> = {
    '/ours.html': { type: 'text/html', body: page(['/taptalk-session.global.js']) },
    '/official.html': { type: 'text/html', body: page(['/official.js']) },
    '/floor.html': { type: 'text/html', body: page([]) },
    '/taptalk-session.global.js': { type: 'text/javascript', body: readFileSync(await ensureIife(), 'utf8') },
    '/official.js': { type: 'text/javascript', body: await officialSdkBundle(SDK) },
  };
  const server: Server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(file ? 200 : 404, { 'Content-Type': file?.type ?? 'text/plain', 'Cache-Control': 'no-store' });
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Side = 'ours' | 'official' | 'floor';

interface PageArgs {
  baseUrl: string;
  appID: string;
  appSecret: string;
  ticket: string;
  deadlineMs: number;
}

/** Our IIFE in the page: created and ready before the clock starts, as an app does at start-up. */
function oursInPage(args: PageArgs): Promise<number> {
  const w = window as any;
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ours: not connected in time')), args.deadlineMs);
    const session = w.TapTalkSession.createSession({ baseUrl: args.baseUrl, appID: args.appID, appSecret: args.appSecret, logger: { warn() {}, error() {} } });
    session.whenReady().then(() => {
      let start = 0;
      session.errors$.subscribe((e: unknown) => reject(new Error(`ours: ${String(e)}`)));
      session.state$.subscribe((state: string) => {
        if (state !== 'connected' || start === 0) return;
        clearTimeout(timer);
        resolve(performance.now() - start);
      });
      start = performance.now();
      session.authenticate(args.ticket, { connect: true }).catch(() => {});
    }, reject);
  });
}

/** The official SDK in the page: `init` and its project configs before the clock starts. */
async function officialInPage(args: PageArgs): Promise<number> {
  const { taptalk } = (window as any).TapTalkOfficial;
  taptalk.init(args.appID, args.appSecret, args.baseUrl);
  const until = performance.now() + args.deadlineMs;
  while (!taptalk.getProjectConfigs()?.core) {
    if (performance.now() > until) throw new Error('official: no project configs');
    await new Promise((r) => setTimeout(r, 20));
  }
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('official: not connected in time')), args.deadlineMs);
    let successes = 0;
    const start = performance.now();
    taptalk.authenticateWithAuthTicket(args.ticket, true, {
      onSuccess: () => {
        // The first is the exchange's; the second follows the SDK's own probe (connectOnSuccess).
        if (++successes !== 2) return;
        taptalk.connect({
          onSuccess: () => {
            clearTimeout(timer);
            resolve(performance.now() - start);
          },
          onError: (...e: unknown[]) => reject(new Error(`official connect: ${e.join(' ')}`)),
          onClose: () => {},
        });
      },
      onError: (...e: unknown[]) => reject(new Error(`official: ${e.join(' ')}`)),
    });
  });
}

/** The floor in the page: the exchange with the SDK's headers, then the socket with the query credentials. */
async function floorInPage(args: PageArgs): Promise<number> {
  const appKey = btoa(`${args.appID}:${args.appSecret}`);
  const device = { 'Device-Identifier': `floor-${Math.random().toString(16).slice(2)}`, 'Device-Model': 'Netscape', 'Device-Platform': 'web' };
  const start = performance.now();
  const response = await fetch(`${args.baseUrl}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': appKey, Authorization: `Bearer ${args.ticket}`, ...device }, body: '""' });
  const grant = (await response.json()) as { error: { code: string }; data: { accessToken: string } };
  if (grant.error.code !== '') throw new Error(`floor: ${grant.error.code}`);
  const query = new URLSearchParams({ app_key: appKey, authorization: `Bearer ${grant.data.accessToken}`, device_identifier: device['Device-Identifier'], device_model: device['Device-Model'], device_platform: device['Device-Platform'] });
  const ws = new WebSocket(`${args.baseUrl.replace(/^http/, 'ws')}/connect?${query}`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('floor: socket not open in time')), args.deadlineMs);
    ws.onopen = () => {
      clearTimeout(timer);
      resolve();
    };
    ws.onerror = () => reject(new Error('floor: socket error'));
  });
  const elapsed = performance.now() - start;
  ws.close(1000);
  return elapsed;
}

const IN_PAGE: Record<Side, (args: PageArgs) => Promise<number>> = { ours: oursInPage, official: officialInPage, floor: floorInPage };

/** One login of `side` in a fresh context: nothing cached, nothing stored. */
async function once(browser: Browser, pages: string, side: Side, args: PageArgs): Promise<number> {
  const context = await browser.newContext();
  // tsx (esbuild with keepNames) wraps the functions below in `__name(fn, 'name')`; the page has none.
  await context.addInitScript('window.__name = (fn) => fn;');
  try {
    const p: Page = await context.newPage();
    p.setDefaultTimeout(LOGIN_DEADLINE_MS + 5_000);
    await p.goto(`${pages}/${side}.html`);
    return await p.evaluate(IN_PAGE[side], args);
  } finally {
    await context.close();
  }
}

async function oneRtt(browser: Browser, target: Target, pages: string, rttMs: number, iterations: number): Promise<ChromiumRttFigures> {
  const proxy = await startRttProxy(target.url, rttMs);
  const samples: Record<Side, number[]> = { ours: [], official: [], floor: [] };
  const sides: Side[] = ['ours', 'official', 'floor'];
  try {
    for (let i = 0; i < iterations + 1; i++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length]!; // rotated: no side always first
        const ticket = await requestTicket(target, `chromium-${rttMs}-${i}-${side}`);
        const ms = await once(browser, pages, side, { baseUrl: proxy.url, appID: target.appKey.id, appSecret: target.appKey.secret, ticket, deadlineMs: LOGIN_DEADLINE_MS });
        if (i > 0) samples[side].push(ms); // the first round warms up
      }
    }
  } finally {
    await proxy.close();
  }
  return { rttMs, iterations, ours: median(samples.ours), official: median(samples.official), floor: median(samples.floor) };
}

/** Runs the Chromium figures at each RTT, or skips them (with the hint) when Chromium is missing. */
export async function runChromiumRtt(target: Target, iterations: number, rtts: readonly number[] = [60, 150]): Promise<ChromiumRttResult> {
  const officialVersion = officialSdkVersion(SDK);
  if (!chromiumFound) {
    process.stderr.write(`bench: rtt in Chromium skipped: ${INSTALL_HINT}\n`);
    return { chromium: null, officialVersion, figures: [] };
  }
  const pages = await startPageServer();
  const browser = await launchChromium();
  try {
    const figures: ChromiumRttFigures[] = [];
    for (const rtt of rtts) figures.push(await oneRtt(browser, target, pages.url, rtt, iterations));
    return { chromium: `${CHROMIUM_PATH} ${browser.version()}`, officialVersion, figures };
  } finally {
    await browser.close();
    await pages.close();
  }
}
