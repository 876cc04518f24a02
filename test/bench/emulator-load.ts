/**
 * Item 6: what the emulator sustains on this machine: ticket exchanges per second (E2) from a
 * bounded loop with a fixed number of requests in flight, beside the Server API's ticket issue
 * (E1) and the token probe (E3), the cheapest authenticated call. The emulator's own CPU time per
 * call is measured in its process too: on two cores the load generator competes for the CPU, and
 * 1 s ÷ CPU per call is what one emulator core could serve with a free client.
 */
import { performance } from 'node:perf_hooks';
import { leanClient } from './lib/http-client.js';
import { clientHeaders, type Target } from './lib/plain.js';
import { pool } from './lib/stats.js';

export interface Rate {
  perSec: number;
  /** Emulator CPU per call, µs. */
  cpuUs: number;
}

export interface LoadResult {
  count: number;
  concurrency: number;
  issue: Rate;
  exchange: Rate;
  probe: Rate;
}

type Cpu = { user: number; system: number };

export async function runEmulatorLoad(target: Target, count: number, concurrency: number, emulatorCpu: () => Promise<Cpu>): Promise<LoadResult> {
  const http = leanClient(concurrency);
  const headers = { ...clientHeaders(target, 'load-device'), 'Content-Type': 'application/json' };
  const serverKey = { 'Server-Key': Buffer.from(`${target.serverKey.id}:${target.serverKey.secret}`).toString('base64'), 'Content-Type': 'application/json' };
  const issue = (i: number) =>
    http.call<{ ticket: string }>('POST', `${target.url}/v1/server/auth_ticket/request`, serverKey, JSON.stringify({ userIPAddress: '127.0.0.1', userAgent: 'bench', userPlatform: 'web', userDeviceID: 'bench', xcUserID: `load-${i % 100}`, fullName: 'Load' }));
  const exchange = (ticket: string) => http.call<{ accessToken: string }>('POST', `${target.url}/v1/auth/access_token/request`, { ...headers, Authorization: `Bearer ${ticket}` }, '{}');
  const probe = (token: string) => http.call('GET', `${target.url}/connect?check=1`, { ...headers, Authorization: `Bearer ${token}` });

  const timed = async (task: (i: number) => Promise<void>): Promise<Rate> => {
    const cpu0 = await emulatorCpu();
    const start = performance.now();
    await pool(count, concurrency, task);
    const seconds = (performance.now() - start) / 1000;
    const cpu1 = await emulatorCpu();
    return { perSec: count / seconds, cpuUs: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / count };
  };
  // Warm-up: sockets in the pool, code optimised on both sides.
  await pool(300, concurrency, async (i) => {
    await probe((await exchange((await issue(i)).ticket)).accessToken);
  });
  const tickets: string[] = new Array(count);
  const tokens: string[] = new Array(count);
  const issueRate = await timed(async (i) => {
    tickets[i] = (await issue(i)).ticket;
  });
  const exchangeRate = await timed(async (i) => {
    tokens[i] = (await exchange(tickets[i]!)).accessToken;
  });
  const probeRate = await timed(async (i) => {
    await probe(tokens[i]!);
  });
  http.close();
  return { count, concurrency, issue: issueRate, exchange: exchangeRate, probe: probeRate };
}
