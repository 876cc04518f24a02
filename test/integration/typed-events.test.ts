/**
 * Typed server events at run time: `eventsOf(name)` against the emulator. The types themselves
 * are asserted in test/types/typed-events.test-d.ts (checked by `npm run typecheck`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { TapTalkEvents } from '../../src/index.js';
import { createSession } from '../../src/session/create-session.js';
import { emulator, next, quietLogger, reach, uniqueUser } from '../support/emulator-session.js';

type AppEvents = TapTalkEvents & { 'app/points': { points: number } };

describe('typed events at run time, against the emulator', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await emulator();
  });
  afterAll(async () => {
    await em?.close();
  });

  it("eventsOf(name) delivers that event's payloads only, and completes on dispose", async () => {
    const user = uniqueUser('typed');
    const session = createSession<AppEvents>({ baseUrl: em.url, appID: em.appKey.id, appSecret: em.appKey.secret, logger: quietLogger, environment: false });
    await session.authenticate(await em.requestTicket(user), { connect: true });
    await reach(session, 'connected');
    const points = next(session.eventsOf('app/points'));
    const unknownName = next(session.eventsOf('somebody/else'));
    em.emit(user.xcUserID, 'user/status', { isOnline: true });
    em.emit(user.xcUserID, 'somebody/else', [1, 2]);
    em.emit(user.xcUserID, 'app/points', { points: 7 });
    expect(await points).toEqual({ points: 7 });
    expect(await unknownName).toEqual([1, 2]);
    let completed = false;
    session.eventsOf('app/points').subscribe({ complete: () => (completed = true) });
    session.dispose();
    await Promise.resolve();
    expect(completed).toBe(true);
  });
});
