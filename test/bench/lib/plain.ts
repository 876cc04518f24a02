/**
 * The floor: the three exchanges of a TapTalk login made by hand with `fetch` and `ws`, no machine
 * (ticket exchange E2, token probe E3, WebSocket open), with the same headers the engine sends.
 * Also the Server API call a customer backend makes for a ticket (E1).
 */
import WebSocket from 'ws';
import { leanClient } from './http-client.js';

export interface Target {
  url: string;
  appKey: { id: string; secret: string };
  serverKey: { id: string; secret: string };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The client headers a TapTalk SDK sends with every call and the upgrade. */
export function clientHeaders(target: Target, deviceID: string): Record<string, string> {
  return {
    'App-Key': b64(`${target.appKey.id}:${target.appKey.secret}`),
    'Device-Identifier': deviceID,
    'Device-Model': 'bench',
    'Device-Platform': 'web',
    'SDK-Version': 'bench',
  };
}

interface Envelope<T> {
  status: number;
  error: { code: string; message: string };
  data: T;
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const envelope = (await response.json()) as Envelope<T>;
  if (envelope.error.code !== '') throw new Error(`${url}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.data;
}

const backend = leanClient(16);

/** E1 with the Server-Key, as a customer backend would (over `node:http`, off the clients' fetch pool). */
export async function requestTicket(target: Target, xcUserID: string): Promise<string> {
  const body = JSON.stringify({ userIPAddress: '127.0.0.1', userAgent: 'bench', userPlatform: 'web', userDeviceID: 'bench', xcUserID, fullName: xcUserID });
  const headers = { 'Server-Key': b64(`${target.serverKey.id}:${target.serverKey.secret}`), 'Content-Type': 'application/json' };
  const data = await backend.call<{ ticket: string }>('POST', `${target.url}/v1/server/auth_ticket/request`, headers, body);
  return data.ticket;
}

/** Lets the process exit: closes the backend's keep-alive sockets. */
export const closeBackend = () => backend.close();

/** E2: ticket → access token. */
export async function exchangeTicket(target: Target, headers: Record<string, string>, ticket: string): Promise<string> {
  const data = await call<{ accessToken: string }>(`${target.url}/v1/auth/access_token/request`, {
    method: 'POST',
    headers: { ...headers, Authorization: `Bearer ${ticket}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return data.accessToken;
}

/** E3: the token probe. */
export async function probeToken(target: Target, headers: Record<string, string>, accessToken: string): Promise<void> {
  await call(`${target.url}/connect?check=1`, { method: 'GET', headers: { ...headers, Authorization: `Bearer ${accessToken}` } });
}

/** The WebSocket with the credentials as headers, resolved once open (no listener of ours left on it). */
export function openSocket(target: Target, headers: Record<string, string>, accessToken: string, Ctor: typeof WebSocket = WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new Ctor(`${target.url.replace(/^http/, 'ws')}/connect`, { headers: { ...headers, Authorization: `Bearer ${accessToken}` }, perMessageDeflate: false });
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** Ticket → open socket, the three exchanges in order. */
export async function plainLogin(target: Target, headers: Record<string, string>, ticket: string): Promise<{ ws: WebSocket; accessToken: string }> {
  const accessToken = await exchangeTicket(target, headers, ticket);
  await probeToken(target, headers, accessToken);
  const ws = await openSocket(target, headers, accessToken);
  return { ws, accessToken };
}
