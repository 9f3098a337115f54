/** The `notify` and `websub` keys (config.ts): what each kind needs, what it may not have, the defaults. */
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { ConfigError, resolveConfig } from '../../src/config.js';

const load = (raw: object) => resolveConfig({ urlFiles: [], dumps: ['.'], ...raw }, 'w.yaml', tmpdir());
const problem = (raw: object): string => {
  try {
    load(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('notify and websub in the config', () => {
  it('defaults: no target, no hub; a target is told of everything but new articles, after 3 failed polls', () => {
    const c = load({});
    expect(c.notify).toEqual([]);
    expect(c.websub).toEqual({});
    const [t] = load({ notify: [{ kind: 'webhook', url: 'http://10.0.0.5:8080/hook' }] }).notify;
    expect(t).toEqual({
      kind: 'webhook',
      url: 'http://10.0.0.5:8080/hook',
      events: ['blocked', 'unreachable', 'recovered', 'cycle-failed', 'album-failing'],
      albumFailures: 3,
    });
  });

  it('telegram: bot token and chat id required (a number becomes text); the API server by default', () => {
    const [t] = load({ notify: [{ kind: 'telegram', botToken: '12345:AbC_d-e', chatId: -100123 }] }).notify;
    expect(t).toMatchObject({ url: 'https://api.telegram.org', chatId: '-100123' });
    const p = problem({ notify: [{ kind: 'telegram', chatId: 5 }] });
    expect(p).toContain('notify[0].botToken: is required for kind telegram');
    expect(problem({ notify: [{ kind: 'telegram', botToken: 'not a token', chatId: 5 }] })).toContain(
      'notify[0].botToken: must be a bot token',
    );
  });

  it('each kind its keys: a url where it goes, a Bark URL with its key, no key of another kind, known events', () => {
    expect(problem({ notify: [{ kind: 'ntfy' }] })).toContain('notify[0].url: is required for kind ntfy');
    expect(problem({ notify: [{ kind: 'bark', url: 'https://api.day.app/' }] })).toContain(
      'must end with the device key',
    );
    expect(problem({ notify: [{ kind: 'webhook', url: 'http://h/x', token: 'abc' }] })).toContain(
      'notify[0].token: is not a key of kind webhook',
    );
    expect(problem({ notify: [{ kind: 'webhook', url: 'ftp://h/x' }] })).toContain(
      'notify[0].url: must be an http(s) URL',
    );
    expect(problem({ notify: [{ kind: 'webhook', url: 'http://h/x', events: ['blocked', 'sunny'] }] })).toContain(
      'notify[0].events[1]',
    );
    expect(problem({ notify: [{ kind: 'sms', url: 'http://h/x' }] })).toContain('notify[0].kind');
    expect(problem({ websub: { hub: 'not a url' } })).toContain('websub.hub');
  });

  it('a refused target never echoes its secrets', () => {
    const p = problem({ notify: [{ kind: 'telegram', botToken: '12345:secret-bot-token', chatId: 1, token: 'x' }] });
    expect(p).toContain('notify[0].token');
    expect(p).not.toContain('secret-bot-token');
  });
});
