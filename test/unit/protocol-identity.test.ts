import { describe, expect, it } from 'vitest';
import { clientHeaders, encodeAppKey, socketCredentials, type ClientIdentity } from '../../src/protocol/identity.js';

const identity: ClientIdentity = {
  appKey: encodeAppKey('app-id', 'app-secret'),
  deviceID: '0123456789abcdef-uuid',
  deviceModel: 'Chrome on Linux',
  platform: 'web',
  sdkVersion: '0.1.0',
};

function decodeBase64Utf8(b64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

describe('encodeAppKey', () => {
  it('is base64 of appID:appSecret', () => {
    expect(encodeAppKey('app', 'secret')).toBe('YXBwOnNlY3JldA==');
    expect(encodeAppKey('app', 'secret')).toBe(btoa('app:secret'));
  });

  it('encodes a non-ASCII secret as UTF-8 instead of throwing', () => {
    const key = encodeAppKey('app', 'sécret-密钥-🔑');
    expect(decodeBase64Utf8(key)).toBe('app:sécret-密钥-🔑');
  });
});

describe('clientHeaders', () => {
  it('sends the app key, device headers, SDK version and a JSON content type', () => {
    expect(clientHeaders(identity)).toEqual({
      'App-Key': identity.appKey,
      'Device-Identifier': identity.deviceID,
      'Device-Model': 'Chrome on Linux',
      'Device-Platform': 'web',
      'SDK-Version': '0.1.0',
      'Content-Type': 'application/json',
    });
  });

  it('adds Authorization only when a bearer is given', () => {
    expect(clientHeaders(identity)).not.toHaveProperty('Authorization');
    expect(clientHeaders(identity, 'tok')).toHaveProperty('Authorization', 'Bearer tok');
  });

  it('keeps descriptive headers to printable ASCII so fetch cannot reject them', () => {
    const headers = clientHeaders({ ...identity, deviceModel: 'Téléphone\r\nX-Evil: 1' });
    expect(headers['Device-Model']).toMatch(/^[\x20-\x7e]*$/);
    expect(() => new Headers(headers)).not.toThrow();
  });
});

describe('socketCredentials', () => {
  it('puts everything in headers for Node, like the mobile SDKs', () => {
    const { headers, query } = socketCredentials(identity, 'access-1', 'headers');
    expect(query).toBeUndefined();
    expect(headers).toMatchObject({
      Authorization: 'Bearer access-1',
      'App-Key': identity.appKey,
      'Device-Identifier': identity.deviceID,
      'Device-Model': identity.deviceModel,
      'Device-Platform': 'web',
    });
  });

  it('uses the web SDK query keys for browsers, without content_type=undefined', () => {
    const { headers, query } = socketCredentials(identity, 'access-1', 'query');
    expect(headers).toBeUndefined();
    expect(query).toEqual({
      app_key: identity.appKey,
      authorization: 'Bearer access-1',
      device_identifier: identity.deviceID,
      device_model: identity.deviceModel,
      device_platform: 'web',
    });
    expect(query).not.toHaveProperty('content_type');
  });
});
