/** Sessions and the failure limit on their own, with the clock passed in. */
import { describe, expect, it } from 'vitest';
import { FailureLimit, SESSION_MAX_AGE_S, Sessions, sameSecret } from '../../src/server/session.js';

const TOKEN = 'session-unit-token-0123456789';

describe('Sessions', () => {
  it('a session is valid under its token until it ends, and not after sign-out', () => {
    const s = new Sessions();
    const value = s.open(TOKEN, 1000);
    expect(value).toMatch(/^[\w-]{32}\.[\w-]{43}$/);
    expect(s.valid(value, TOKEN, 1000)).toBe(true);
    expect(s.valid(value, TOKEN, 1000 + SESSION_MAX_AGE_S * 1000 - 1)).toBe(true);
    expect(s.valid(value, TOKEN, 1000 + SESSION_MAX_AGE_S * 1000)).toBe(false);
    s.close(value);
    expect(s.valid(value, TOKEN, 2000)).toBe(false);
  });

  it('forged, altered or foreign values are not sessions; a new token ends every session', () => {
    const s = new Sessions();
    const value = s.open(TOKEN, 0);
    const [id, mac] = value.split('.') as [string, string];
    for (const v of [undefined, '', id, `${id}.`, `.${mac}`, `${id}.${mac}x`, `${id}x.${mac}`, `${value}.x`])
      expect(s.valid(v, TOKEN, 1), String(v)).toBe(false);
    // The same id and MAC from another server with the same token is no session here: sessions live in memory.
    expect(new Sessions().valid(value, TOKEN, 1)).toBe(false);
    expect(s.valid(value, 'another-token-0123456789', 1)).toBe(false);
    // Back to the first token: its sessions were forgotten when the token changed.
    expect(s.valid(value, TOKEN, 1)).toBe(false);
  });

  it('keeps at most 1000 sessions: the 1001st forgets the oldest', () => {
    const s = new Sessions();
    const first = s.open(TOKEN, 0);
    const second = s.open(TOKEN, 0);
    for (let i = 0; i < 999; i++) s.open(TOKEN, 0);
    expect(s.valid(first, TOKEN, 1)).toBe(false);
    expect(s.valid(second, TOKEN, 1)).toBe(true);
  });
});

describe('FailureLimit', () => {
  it('5 failures in a minute hold the client until the first of them is a minute old', () => {
    const limit = new FailureLimit();
    for (let i = 0; i < 5; i++) {
      expect(limit.retryAfter('a', i * 1000)).toBeUndefined();
      limit.fail('a', i * 1000);
    }
    expect(limit.retryAfter('a', 5000)).toBe(55);
    expect(limit.retryAfter('b', 5000)).toBeUndefined();
    expect(limit.retryAfter('a', 59_999)).toBe(1);
    expect(limit.retryAfter('a', 60_000)).toBeUndefined();
  });

  it('remembers a bounded number of clients', () => {
    const limit = new FailureLimit(1, 60_000, 2);
    limit.fail('a', 0);
    limit.fail('b', 0);
    limit.fail('c', 0);
    expect(limit.retryAfter('a', 1)).toBeUndefined();
    expect(limit.retryAfter('c', 1)).toBe(60);
  });
});

describe('sameSecret', () => {
  it('compares whole strings', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(sameSecret('', TOKEN)).toBe(false);
  });
});
