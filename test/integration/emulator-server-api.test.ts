import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKey, startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;

const validBody = {
  userIPAddress: '182.253.177.234',
  userAgent: 'AdvancedRestClient/12.1.14',
  userPlatform: 'web',
  userDeviceID: 'device-1',
  xcUserID: 'alice',
  fullName: 'Alice',
};

async function requestTicket(body: unknown, serverKey: string | null = encodeKey(emulator.serverKey)) {
  const res = await fetch(`${emulator.url}/v1/server/auth_ticket/request`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(serverKey === null ? {} : { 'Server-Key': serverKey }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { http: res.status, env: (await res.json()) as { status: number; error: { code: string; message: string; field: string }; data: Record<string, unknown> } };
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('Server API: auth ticket request (E1)', () => {
  it('answers a success envelope with the full empty error object, a ticket and the userID', async () => {
    const { http, env } = await requestTicket(validBody);
    expect(http).toBe(200);
    expect(env.status).toBe(200);
    expect(env.error).toEqual({ code: '', message: '', field: '' });
    expect(typeof env.data.ticket).toBe('string');
    expect(typeof env.data.userID).toBe('string');
  });

  it('keeps the same userID for the same xcUserID and gives a new one to a new xcUserID', async () => {
    const first = await requestTicket({ ...validBody, xcUserID: 'stable' });
    const second = await requestTicket({ ...validBody, xcUserID: 'stable', fullName: 'Renamed' });
    const other = await requestTicket({ ...validBody, xcUserID: 'someone-else' });
    expect(second.env.data.userID).toBe(first.env.data.userID);
    expect(other.env.data.userID).not.toBe(first.env.data.userID);
    expect(second.env.data.ticket).not.toBe(first.env.data.ticket);
  });

  it.each([
    ['userIPAddress', '101'],
    ['userAgent', '102'],
    ['userPlatform', '103'],
    ['userDeviceID', '104'],
    ['xcUserID', '105'],
    ['fullName', '106'],
  ])('rejects a missing %s with 40002 and field code %s', async (name, field) => {
    const body: Record<string, unknown> = { ...validBody };
    delete body[name];
    const { http, env } = await requestTicket(body);
    expect(http).toBe(200);
    expect(env).toEqual({ status: 400, error: { code: '40002', message: `Param '${name}' is required`, field }, data: {} });
  });

  it.each([
    ['email', '107'],
    ['phone', '108'],
    ['username', '109'],
    ['photoThumbnailURL', '110'],
    ['photoFullsizeURL', '111'],
    ['userRoleCode', '112'],
  ])('rejects a non-string optional %s with field code %s', async (name, field) => {
    const { env } = await requestTicket({ ...validBody, [name]: 42 });
    expect(env.error).toMatchObject({ code: '40002', field });
  });

  it('accepts every optional field as a string', async () => {
    const { env } = await requestTicket({ ...validBody, email: 'a@x.test', phone: '62811', username: 'al', photoThumbnailURL: 'https://x/t', photoFullsizeURL: 'https://x/f', userRoleCode: 'user' });
    expect(env.error.code).toBe('');
  });

  it('rejects an xcUserID longer than 50 characters with field 105', async () => {
    const { env } = await requestTicket({ ...validBody, xcUserID: 'x'.repeat(51) });
    expect(env.error).toMatchObject({ code: '40002', field: '105' });
  });

  it('rejects a body that is not JSON with 40002', async () => {
    const { env } = await requestTicket('not json');
    expect(env.error.code).toBe('40002');
    expect(env.status).toBe(400);
  });

  it('rejects a missing Server-Key with 40001 and the documented message', async () => {
    const { env } = await requestTicket(validBody, null);
    expect(env).toEqual({ status: 400, error: { code: '40001', message: 'Request headers are required (Server-Key)', field: '' }, data: {} });
  });

  it('rejects an unparseable Server-Key with 49102', async () => {
    const { env } = await requestTicket(validBody, '%%% not base64 %%%');
    expect(env.status).toBe(491);
    expect(env.error.code).toBe('49102');
  });

  it('rejects an unknown Server-Key id or a wrong secret with 49103', async () => {
    const unknown = await requestTicket(validBody, encodeKey({ id: 'nobody', secret: emulator.serverKey.secret }));
    const wrong = await requestTicket(validBody, encodeKey({ id: emulator.serverKey.id, secret: 'wrong' }));
    expect(unknown.env.error.code).toBe('49103');
    expect(wrong.env.error.code).toBe('49103');
  });

  it('does not accept the App-Key as a Server-Key', async () => {
    const { env } = await requestTicket(validBody, encodeKey(emulator.appKey));
    expect(env.error.code).toBe('49103');
  });
});

describe('Server API: user update', () => {
  it('updates a user by xcUserID and answers its userID', async () => {
    const ticket = await requestTicket({ ...validBody, xcUserID: 'update-me' });
    const res = await fetch(`${emulator.url}/v1/server/user/update`, {
      method: 'POST',
      headers: { 'Server-Key': encodeKey(emulator.serverKey) },
      body: JSON.stringify({ xcUserID: 'update-me', fullName: 'Updated' }),
    });
    const env = (await res.json()) as { data: { userID: string } };
    expect(env.data.userID).toBe(ticket.env.data.userID);
  });

  it('validates fields 105–112 and the Server-Key like the ticket request', async () => {
    const missing = await fetch(`${emulator.url}/v1/server/user/update`, { method: 'POST', headers: { 'Server-Key': encodeKey(emulator.serverKey) }, body: '{"fullName":"x"}' });
    expect(((await missing.json()) as { error: unknown }).error).toEqual({ code: '40002', message: "Param 'xcUserID' is required", field: '105' });
    const noKey = await fetch(`${emulator.url}/v1/server/user/update`, { method: 'POST', body: '{}' });
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('40001');
  });
});

describe('Emulator.requestTicket', () => {
  it('fills the device fields and fullName and resolves to a ticket', async () => {
    await expect(emulator.requestTicket({ xcUserID: 'helper' })).resolves.toMatch(/^[\w-]{20,}$/);
  });

  it('rejects with an Error carrying code, status and field on an error envelope', async () => {
    await expect(emulator.requestTicket({ xcUserID: 'y'.repeat(60) })).rejects.toMatchObject({ code: '40002', status: 400, field: '105' });
  });
});
