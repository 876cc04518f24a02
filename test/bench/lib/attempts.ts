/**
 * Reconnection attempts in the emulator's timeline of connection requests: an attempt is what
 * starts a reconnection, the probe when the client probes first, else the upgrade. Told apart per
 * device, since an engine probes only when its token's refresh is due (SES-29, SES-90) or to learn
 * why a socket failed (SES-91).
 */

/** A connection request as the emulator received it: ms, kind, the client's device id. */
export interface ConnectionRequest {
  t: number;
  key: '/connect?check=1' | 'ws:/connect';
  device: string;
}

/**
 * The times of the requests that start an attempt: every probe, and every upgrade whose device's
 * previous request was not a probe (that upgrade belongs to the probe's attempt).
 *
 * @example
 * ```ts
 * attemptTimes([{ t: 1, key: '/connect?check=1', device: 'a' }, { t: 2, key: 'ws:/connect', device: 'a' }, { t: 3, key: 'ws:/connect', device: 'b' }]); // [1, 3]
 * ```
 */
export function attemptTimes(requests: readonly ConnectionRequest[]): number[] {
  const probing = new Set<string>();
  const out: number[] = [];
  for (const r of [...requests].sort((a, b) => a.t - b.t)) {
    if (r.key === '/connect?check=1') {
      probing.add(r.device);
      out.push(r.t);
    } else if (!probing.delete(r.device)) {
      out.push(r.t);
    }
  }
  return out;
}
