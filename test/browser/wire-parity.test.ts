/**
 * Wire parity: the same flows through TapTalk's official web SDK and through our IIFE's
 * TapTalk-compatible facade, in Chromium, recorded at the emulator (`record: true`). The requests
 * must come in the same order with the same method and path; every header the client sets, every
 * socket query key and every body is compared by the shape of its value (a token is named by when
 * it first appeared, the App-Key by what it encodes). What differs must be exactly the list of
 * deliberate differences in docs/migration.md, and none of them may touch what the protocol
 * reference says the server relies on (App-Key, Authorization, Device-Identifier, Device-Platform),
 * except the one the reference allows (E6: project configs need no user token).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeKey, type Emulator, type RecordedRequest } from '../../src/emulator/index.js';
import { SDK_VERSION } from '../../src/version.js';
import { uniqueUser } from '../support/emulator-session.js';
import { OFFICIAL_SDKS, officialSdkVersion } from '../support/official-sdk.js';
import { describeInChromium, launchChromium } from './chromium.js';
import { emulatorWithOfficialPage, openOfficialPage } from './official-page.js';

type Client = 'official' | 'ours';

/** Headers the browser adds by itself: not the client's choice, so not compared. */
const BROWSER_HEADERS = /^(host|connection|user-agent|accept(-.*)?|sec-.*|origin|referer|pragma|cache-control|upgrade|content-length)$/;

/** What the server relies on (reference §1.3, §2.2, §7), as headers and as the web socket's query keys. */
const RELIED_ON = ['app-key', 'authorization', 'device-identifier', 'device-platform'].flatMap((name) => [`header ${name}`, `query ${name.replace('-', '_')}`]);

/** The differences we keep on purpose; docs/migration.md lists them with the reasons. */
const DELIBERATE = [
  { part: 'header authorization', official: "''", ours: '(absent)', requests: ['POST /v1/client/project_configs'] },
  { part: 'header device-model', official: "'Netscape'", ours: "'Chrome on Linux'", requests: 'every HTTP request' },
  { part: 'header sdk-version', official: '(absent)', ours: `'${SDK_VERSION}'`, requests: 'every HTTP request' },
  { part: 'header content-type', official: "'text/plain;charset=UTF-8'", ours: "'application/json'", requests: 'every POST' },
  { part: 'body', official: '\'""\'', ours: "'{}'", requests: 'every POST' },
  { part: 'query content_type', official: "'undefined'", ours: '(absent)', requests: ['UPGRADE /connect'] },
  { part: 'query device_model', official: "'Netscape'", ours: "'Chrome on Linux'", requests: ['UPGRADE /connect'] },
];

/** One step of the flow through the client's `taptalk` API (the same method names on both). */
function step(page: Page, client: Client, action: 'init' | 'authenticate' | 'connect' | 'disconnect' | 'logout', arg?: unknown): Promise<unknown> {
  return page.evaluate(
    ([who, what, value]) => {
      const w = window as any;
      w.tapUnderTest ??= who === 'official' ? w.TapTalkOfficial.taptalk : w.TapTalkSession.createTapTalk();
      const tap = w.tapUnderTest;
      return new Promise((resolve, reject) => {
        const callback = { onSuccess: resolve, onError: (...a: unknown[]) => reject(new Error(a.join(' '))), onClose() {} };
        if (what === 'init') resolve(tap.init(...(value as string[])));
        else if (what === 'authenticate') tap.authenticateWithAuthTicket(value, false, callback);
        else if (what === 'connect') tap.connect(callback);
        else if (what === 'disconnect') resolve(tap.disconnect());
        else tap.logoutAndClearAllTapTalkData(callback);
      });
    },
    [client, action, arg] as const,
  );
}

/** A request's name and every compared part, values reduced to their shapes. */
function shapes(requests: RecordedRequest[], appKey: string, ticket: string): { name: string; parts: Record<string, string> }[] {
  const seen: string[] = [];
  const numbered = (kind: string, value: string) => {
    if (!seen.includes(value)) seen.push(value);
    return `${kind} #${seen.indexOf(value)}`;
  };
  const shape = (name: string, value: string) => {
    if (name === 'app-key' || name === 'app_key') return value === appKey ? 'base64(appID:appSecret)' : `other ${value}`;
    if (name === 'authorization' && value.startsWith('Bearer ')) return value === `Bearer ${ticket}` ? 'Bearer <ticket>' : `Bearer <${numbered('token', value.slice(7))}>`;
    if (name.startsWith('device') && name.endsWith('identifier')) return /^[0-9a-f]{16}-[\w-]{20,}$/.test(value) ? numbered('device id', value) : `malformed ${value}`;
    return `'${value}'`;
  };
  return requests.map((r) => {
    const parts: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers)) if (!BROWSER_HEADERS.test(name)) parts[`header ${name}`] = shape(name, value);
    for (const [key, value] of r.query) if (r.method === 'UPGRADE') parts[`query ${key}`] = shape(key, value);
    if (r.method === 'POST') parts.body = `'${r.body}'`;
    return { name: `${r.method} ${r.path}${r.query.length && r.method === 'GET' ? `?${new URLSearchParams(r.query)}` : ''}`, parts };
  });
}

type Shapes = ReturnType<typeof shapes>;

/** Every part whose shape differs, with the requests it differs on ('every POST', 'every HTTP request' when it is all of them). */
function differencesBetween(official: Shapes, ours: Shapes) {
  const differences = new Map<string, { part: string; official: string; ours: string; requests: string[] }>();
  official.forEach((theirs, i) => {
    const mine = ours[i]!;
    for (const part of new Set([...Object.keys(theirs.parts), ...Object.keys(mine.parts)])) {
      const [a, b] = [theirs.parts[part] ?? '(absent)', mine.parts[part] ?? '(absent)'];
      if (a === b) continue;
      const key = JSON.stringify([part, a, b]);
      const entry = differences.get(key) ?? { part, official: a, ours: b, requests: [] };
      entry.requests.push(theirs.name);
      differences.set(key, entry);
    }
  });
  const http = official.map((r) => r.name).filter((n) => !n.startsWith('UPGRADE'));
  const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
  const summary = (requests: string[]) =>
    same(requests, http) ? 'every HTTP request' : same(requests, http.filter((n) => n.startsWith('POST'))) ? 'every POST' : [...new Set(requests)];
  return [...differences.values()].map((d) => ({ ...d, requests: summary(d.requests) }));
}

for (const sdk of OFFICIAL_SDKS) {
  describeInChromium(`wire parity with ${sdk} ${officialSdkVersion(sdk)}`, () => {
    let browser: Browser;
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await emulatorWithOfficialPage(sdk, { record: true });
      browser = await launchChromium(emulator.tls ? [`--ignore-certificate-errors-spki-list=${emulator.tls.spki}`] : []);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await emulator?.close();
    });

    /** init, authenticate, connect, disconnect, an expired access token, connect again (refresh), logout. */
    const flow = async (client: Client) => {
      const opened = await openOfficialPage(browser, emulator);
      const { page } = opened;
      const from = emulator.recorded().length;
      await step(page, client, 'init', [emulator.appKey.id, emulator.appKey.secret, emulator.url]);
      const ticket = await emulator.requestTicket(uniqueUser('parity'));
      await step(page, client, 'authenticate', ticket);
      await step(page, client, 'connect');
      await step(page, client, 'disconnect');
      await expect.poll(() => emulator.stats().openSockets).toBe(0);
      emulator.faults.expireAccessTokens();
      await step(page, client, 'connect');
      const logouts = emulator.stats().logouts;
      await step(page, client, 'logout');
      await expect.poll(() => emulator.stats().logouts).toBe(logouts + 1);
      await expect.poll(() => emulator.stats().openSockets).toBe(0);
      await opened.close();
      expect(opened.pageErrors).toEqual([]);
      const api = emulator.recorded().slice(from).filter((r) => r.path.startsWith('/v1/client/') || r.path.startsWith('/v1/auth/') || r.path === '/connect');
      return shapes(api, encodeKey(emulator.appKey), ticket);
    };

    it('makes the same calls in the same order, and differs only where docs/migration.md says why', async () => {
      const official = await flow('official');
      const ours = await flow('ours');
      expect(ours.map((r) => r.name)).toEqual(official.map((r) => r.name));
      expect(official.map((r) => r.name)).toEqual([
        'POST /v1/client/project_configs',
        'POST /v1/auth/access_token/request',
        'GET /connect?check=1',
        'UPGRADE /connect',
        'GET /connect?check=1', // answered 40104
        'POST /v1/auth/access_token/refresh',
        'GET /connect?check=1', // retried with the new token
        'UPGRADE /connect',
        'POST /v1/client/logout',
      ]);

      const found = differencesBetween(official, ours);
      expect(found).toEqual(expect.arrayContaining(DELIBERATE));
      expect(found).toHaveLength(DELIBERATE.length);
      // What the server relies on is the same everywhere, bar the token that E6 does not need.
      expect(found.filter((d) => RELIED_ON.includes(d.part))).toEqual([DELIBERATE[0]]);
      // Mutation: one probe sent with another device id is caught as a difference the server relies on.
      const mutated = ours.map((r, i) => (i === 2 ? { ...r, parts: { ...r.parts, 'header device-identifier': 'device id #1' } } : r));
      expect(differencesBetween(official, mutated).filter((d) => RELIED_ON.includes(d.part))).toHaveLength(2);
    });
  });
}
