import { afterEach, describe, expect, it, vi } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { apiUrl, probeUrl, resolveBaseUrl, socketUrl } from '../../src/protocol/url.js';

function rejection(input: string): TapTalkError {
  try {
    resolveBaseUrl(input);
  } catch (error) {
    if (error instanceof TapTalkError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('resolveBaseUrl', () => {
  it('strips whitespace and every trailing slash', () => {
    expect(resolveBaseUrl('  https://chat.example.com///  ')).toBe('https://chat.example.com');
  });

  it('keeps a path prefix and the port', () => {
    expect(resolveBaseUrl('http://localhost:8080/api/tt/')).toBe('http://localhost:8080/api/tt');
  });

  it('lower-cases the scheme and host', () => {
    expect(resolveBaseUrl('HTTPS://Chat.Example.COM')).toBe('https://chat.example.com');
  });

  it.each(['', '   ', 'not a url', 'ftp://x', 'ws://host', 'file:///etc', '/relative/path', 'https://'])(
    'refuses %j with code 95011',
    (input) => {
      const error = rejection(input);
      expect(error.code).toBe('95011');
      expect(error.message).toMatch(/^Invalid baseUrl: /);
    },
  );

  it('refuses a query or fragment, which would land in the middle of every path', () => {
    expect(rejection('https://h/?x=1').code).toBe('95011');
    expect(rejection('https://h/#frag').code).toBe('95011');
  });

  it('refuses credentials without echoing them', () => {
    const error = rejection('https://user:hunter2secret@h.example');
    expect(error.code).toBe('95011');
    expect(String(error)).not.toContain('hunter2secret');
  });
});

describe('URL builders', () => {
  const base = resolveBaseUrl('https://chat.example.com/prefix/');

  it('puts REST calls under /v1 exactly once, whatever the leading slash', () => {
    expect(apiUrl(base, 'auth/access_token/request')).toBe('https://chat.example.com/prefix/v1/auth/access_token/request');
    expect(apiUrl(base, '/client/logout')).toBe('https://chat.example.com/prefix/v1/client/logout');
  });

  it('puts the probe on /connect outside /v1', () => {
    expect(probeUrl(base)).toBe('https://chat.example.com/prefix/connect?check=1');
  });

  it('turns https into wss and keeps the path prefix', () => {
    expect(socketUrl(base)).toBe('wss://chat.example.com/prefix/connect');
  });

  it('turns http into ws (never wss://http://, weakness 18)', () => {
    expect(socketUrl(resolveBaseUrl('http://localhost:3000/'))).toBe('ws://localhost:3000/connect');
  });

  it('appends a URLSearchParams-encoded query when given', () => {
    const url = socketUrl('https://h', { authorization: 'Bearer a b', app_key: 'x+y=' });
    expect(url).toBe('wss://h/connect?authorization=Bearer+a+b&app_key=x%2By%3D');
    expect(new URL(url).searchParams.get('authorization')).toBe('Bearer a b');
  });

  it('adds no ? for an empty query', () => {
    expect(socketUrl('https://h', {})).toBe('wss://h/connect');
  });
});

describe("resolveBaseUrl under React Native's URL (its getters throw 'not implemented')", () => {
  class ReactNativeUrl {
    constructor(readonly href: string) {}
    get protocol(): string {
      throw new Error('URL.protocol is not implemented');
    }
  }
  afterEach(() => vi.unstubAllGlobals());

  it('resolves bases as the standard parser does, and refuses the same bad ones', () => {
    const cases = [' https://Chat.Example.com/api/ ', 'http://127.0.0.1:8080', 'HTTPS://x.test//', 'https://x.test/a/b'];
    const standard = cases.map((c) => resolveBaseUrl(c));
    vi.stubGlobal('URL', ReactNativeUrl);
    expect(cases.map((c) => resolveBaseUrl(c))).toEqual(standard);
    for (const bad of ['ftp://x.test', 'https://user:pw@x.test', 'https://x.test/?q', 'x.test', 'https://']) {
      expect(() => resolveBaseUrl(bad), bad).toThrow(expect.objectContaining({ code: '95011' }));
    }
  });

  it('resolves without any URL at all (a bare engine)', () => {
    vi.stubGlobal('URL', undefined);
    expect(resolveBaseUrl('https://Chat.example.com/api/')).toBe('https://chat.example.com/api');
  });
});
