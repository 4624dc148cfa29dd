/**
 * Credentials: validation (checkCredentials), the environment provider (fromEnv), and the memoising,
 * refreshing provider of temporary keys (refreshingCredentials). Time is injected (`now`), never slept.
 * Throughout, an error must name the faulty field but never carry a secret in its message.
 */
import {
  checkCredentials,
  fromEnv,
  refreshingCredentials,
  REFRESH_BEFORE_EXPIRY_SECONDS,
  toCredentialProvider,
  type Credentials,
  type CredentialProvider,
} from '../src/credentials';
import { CiCredentialsError, CiError } from '../src/errors';

const SECRET_ID = 'AKIDsecretIdValue0001';
const SECRET_KEY = 'sEcReTkEyVaLuE-do-not-leak';
const TOKEN = 'session-token-do-not-leak';
const SECRETS = [SECRET_ID, SECRET_KEY, TOKEN];

/** Runs `fn`, expects a CiCredentialsError, and returns it. */
function syncError(fn: () => unknown): CiCredentialsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CiCredentialsError);
    return e as CiCredentialsError;
  }
  throw new Error('expected a CiCredentialsError');
}

async function asyncError(p: Promise<unknown>): Promise<CiCredentialsError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CiCredentialsError);
  return e as CiCredentialsError;
}

/** No secret in the message, the string form or the JSON form of the error. */
function expectNoSecret(e: Error, secrets: readonly string[] = SECRETS): void {
  for (const s of secrets) {
    expect(e.message).not.toContain(s);
    expect(String(e)).not.toContain(s);
    expect(JSON.stringify(e)).not.toContain(s);
  }
}

/** A promise resolved or rejected from outside, to hold a fetch in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise((r) => setImmediate(r));

// ---------------------------------------------------------------------------------------------------------

describe('checkCredentials', () => {
  // Valid input comes back without extra members; an empty session token is dropped.
  it('returns the known members only', () => {
    const expiration = new Date(1_700_000_000_000);
    expect(checkCredentials({ secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: TOKEN, expiration, extra: 'x' })).toEqual({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      sessionToken: TOKEN,
      expiration,
    });
    const c = checkCredentials({ secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: '' });
    expect(c.sessionToken).toBeUndefined();
    expect(Object.keys(c).sort()).toEqual(['expiration', 'secretId', 'secretKey', 'sessionToken']);
  });

  // Not an object at all.
  it.each([null, undefined, 'AKID:key', 42, true])('rejects %p', (value) => {
    const e = syncError(() => checkCredentials(value));
    expect(e.message).toMatch(/expected \{ secretId, secretKey/);
    expect(e).toBeInstanceOf(CiError);
    expect(e.name).toBe('CiCredentialsError');
  });

  // Missing, empty, blank or non-string secretId/secretKey: the message names the field, never a value.
  it.each([
    ['secretId', { secretKey: SECRET_KEY, sessionToken: TOKEN }],
    ['secretId', { secretId: '', secretKey: SECRET_KEY }],
    ['secretId', { secretId: '   ', secretKey: SECRET_KEY }],
    ['secretId', { secretId: 12345, secretKey: SECRET_KEY }],
    ['secretKey', { secretId: SECRET_ID, sessionToken: TOKEN }],
    ['secretKey', { secretId: SECRET_ID, secretKey: '' }],
    ['secretKey', { secretId: SECRET_ID, secretKey: ' \t\n' }],
    ['secretKey', { secretId: SECRET_ID, secretKey: { value: SECRET_KEY } }],
  ])('names %s when it is missing or empty (case %#)', (field, value) => {
    const e = syncError(() => checkCredentials(value, 'my source'));
    expect(e.message).toBe(`my source: ${field} is missing or empty`);
    expectNoSecret(e);
  });

  // A bad session token or expiration: named, value not shown.
  it('rejects a non-string sessionToken and an invalid expiration', () => {
    const bad = syncError(() => checkCredentials({ secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: [TOKEN] }));
    expect(bad.message).toBe('credentials: sessionToken must be a string');
    expectNoSecret(bad);
    for (const expiration of [new Date(Number.NaN), '2030-01-01T00:00:00Z', 1_700_000_000]) {
      const e = syncError(() => checkCredentials({ secretId: SECRET_ID, secretKey: SECRET_KEY, expiration }));
      expect(e.message).toBe('credentials: expiration must be a valid Date');
      expectNoSecret(e);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('fromEnv', () => {
  // Reads the three variables from the injected env object.
  it('reads TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN', async () => {
    const env = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN: TOKEN };
    await expect(fromEnv(env)()).resolves.toEqual({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      sessionToken: TOKEN,
      expiration: undefined,
    });
  });

  // Permanent keys: no token variable, or an empty one, gives no sessionToken.
  it('has no sessionToken when the variable is absent or empty', async () => {
    const base = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };
    expect((await fromEnv(base)()).sessionToken).toBeUndefined();
    expect((await fromEnv({ ...base, TENCENTCLOUD_SESSION_TOKEN: '' })()).sessionToken).toBeUndefined();
  });

  // Missing or empty variables: a CiCredentialsError naming the variables, with no value in it.
  it.each([
    [{}],
    [{ TENCENTCLOUD_SECRET_ID: SECRET_ID }],
    [{ TENCENTCLOUD_SECRET_KEY: SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN: TOKEN }],
    [{ TENCENTCLOUD_SECRET_ID: '', TENCENTCLOUD_SECRET_KEY: SECRET_KEY }],
  ])('rejects when a variable is missing (case %#)', async (env) => {
    const e = await asyncError(fromEnv(env)());
    expect(e.message).toContain('TENCENTCLOUD_SECRET_ID');
    expect(e.message).toContain('TENCENTCLOUD_SECRET_KEY');
    expectNoSecret(e);
  });

  // A blank key passes the presence check but not checkCredentials; the field is named, the source is "environment".
  it('rejects a blank secret key, naming the field', async () => {
    const e = await asyncError(fromEnv({ TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: '   ' })());
    expect(e.message).toBe('environment: secretKey is missing or empty');
    expectNoSecret(e);
  });

  // The environment is read on each call, so rotated variables are picked up.
  it('reads the environment when called, not when created', async () => {
    const env: Record<string, string | undefined> = {};
    const provider = fromEnv(env);
    await asyncError(provider());
    env.TENCENTCLOUD_SECRET_ID = SECRET_ID;
    env.TENCENTCLOUD_SECRET_KEY = SECRET_KEY;
    await expect(provider()).resolves.toMatchObject({ secretId: SECRET_ID, secretKey: SECRET_KEY });
  });

  // Without an argument it reads process.env.
  it('defaults to process.env', async () => {
    const saved = { ...process.env };
    try {
      process.env.TENCENTCLOUD_SECRET_ID = 'AKIDfromProcessEnv';
      process.env.TENCENTCLOUD_SECRET_KEY = 'keyFromProcessEnv';
      delete process.env.TENCENTCLOUD_SESSION_TOKEN;
      await expect(fromEnv()()).resolves.toMatchObject({ secretId: 'AKIDfromProcessEnv', sessionToken: undefined });
    } finally {
      for (const k of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('refreshingCredentials', () => {
  const T0 = 1_700_000_000_000; // ms
  const HOUR = 3_600_000;

  /** A fetcher returning temporary keys numbered 1, 2, … that expire `ttlMs` after the clock's time. */
  function counterFetcher(clock: { t: number }, ttlMs = HOUR) {
    let calls = 0;
    const fetcher = jest.fn(async (): Promise<Credentials> => {
      calls++;
      return {
        secretId: `AKIDtmp${calls}`,
        secretKey: `tmpKey${calls}`,
        sessionToken: `token${calls}`,
        expiration: new Date(clock.t + ttlMs),
      };
    });
    return fetcher;
  }

  it('refreshes 60 s before expiry by default', () => {
    expect(REFRESH_BEFORE_EXPIRY_SECONDS).toBe(60);
  });

  // Credentials without an expiration are fetched once and kept.
  it('memoises credentials without an expiration', async () => {
    const fetcher = jest.fn(async () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }));
    const provider = refreshingCredentials(fetcher, { now: () => T0 });
    const first = await provider();
    for (let i = 0; i < 5; i++) expect(await provider()).toBe(first);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(first).toEqual({ secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: undefined, expiration: undefined });
  });

  // Kept until 60 s before `expiration` (exclusive), then fetched again; the new ones are kept in turn.
  it('refreshes exactly 60 s before expiration (injected clock)', async () => {
    const clock = { t: T0 };
    const fetcher = counterFetcher(clock);
    const provider = refreshingCredentials(fetcher, { now: () => clock.t });

    expect((await provider()).secretId).toBe('AKIDtmp1'); // expires at T0 + 1 h
    clock.t = T0 + HOUR - 60_000 - 1; // 60.001 s before expiry: still fresh
    expect((await provider()).secretId).toBe('AKIDtmp1');
    expect(fetcher).toHaveBeenCalledTimes(1);

    clock.t = T0 + HOUR - 60_000; // exactly 60 s before expiry: refresh
    const second = await provider();
    expect(second.secretId).toBe('AKIDtmp2');
    expect(second.sessionToken).toBe('token2');
    expect(fetcher).toHaveBeenCalledTimes(2);

    clock.t += 1000; // the new credentials expire an hour after they were fetched: kept
    expect(await provider()).toBe(second);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  // The margin is configurable.
  it('honours refreshBeforeSeconds', async () => {
    const clock = { t: T0 };
    const fetcher = counterFetcher(clock);
    const provider = refreshingCredentials(fetcher, { now: () => clock.t, refreshBeforeSeconds: 300 });
    await provider();
    clock.t = T0 + HOUR - 300_001;
    expect((await provider()).secretId).toBe('AKIDtmp1');
    clock.t = T0 + HOUR - 300_000;
    expect((await provider()).secretId).toBe('AKIDtmp2');
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  // Concurrent callers (first fetch and a later refresh) share ONE fetch and get the same credentials.
  it('shares one in-flight fetch between concurrent callers', async () => {
    const clock = { t: T0 };
    let calls = 0;
    let pending = deferred<Credentials>();
    const fetcher = jest.fn(() => {
      calls++;
      return pending.promise;
    });
    const provider = refreshingCredentials(fetcher, { now: () => clock.t });

    const first = Array.from({ length: 10 }, () => provider());
    await flush();
    expect(calls).toBe(1);
    pending.resolve({ secretId: 'AKIDtmp1', secretKey: 'k1', sessionToken: 't1', expiration: new Date(T0 + HOUR) });
    const got = await Promise.all(first);
    expect(new Set(got).size).toBe(1);
    expect(got[0]!.secretId).toBe('AKIDtmp1');

    // Expired: a burst of callers triggers a single refresh.
    clock.t = T0 + HOUR;
    pending = deferred<Credentials>();
    const second = Array.from({ length: 10 }, () => provider());
    await flush();
    expect(calls).toBe(2);
    pending.resolve({ secretId: 'AKIDtmp2', secretKey: 'k2', sessionToken: 't2', expiration: new Date(T0 + 2 * HOUR) });
    const got2 = await Promise.all(second);
    expect(new Set(got2).size).toBe(1);
    expect(got2[0]!.secretId).toBe('AKIDtmp2');
    expect(calls).toBe(2);
  });

  // A failed fetch rejects every waiting caller with a CiCredentialsError (cause kept, secret-free message),
  // is not cached, and the next call fetches again.
  it('does not cache a failing fetch', async () => {
    let calls = 0;
    let pending = deferred<Credentials>();
    const provider = refreshingCredentials(
      () => {
        calls++;
        return pending.promise;
      },
      { now: () => T0 },
    );

    const waiting = [provider(), provider(), provider()];
    await flush();
    expect(calls).toBe(1);
    const cause = new Error(`STS refused key ${SECRET_KEY} for token ${TOKEN}`);
    pending.reject(cause);
    const errors = await Promise.all(waiting.map((p) => asyncError(p)));
    for (const e of errors) {
      expect(e).toBe(errors[0]);
      expect(e.message).toBe('The credentials provider failed');
      expect(e.cause).toBe(cause);
      expectNoSecret(e);
    }

    pending = deferred<Credentials>();
    const retry = provider();
    await flush();
    expect(calls).toBe(2);
    pending.resolve({ secretId: SECRET_ID, secretKey: SECRET_KEY });
    await expect(retry).resolves.toMatchObject({ secretId: SECRET_ID });
  });

  // A fetch that rejects with a non-Error value (here a string holding a secret) is wrapped the same way.
  it('wraps a non-Error rejection without its content', async () => {
    const provider = refreshingCredentials(() => Promise.reject(`key=${SECRET_KEY}`));
    const e = await asyncError(provider());
    expect(e.message).toBe('The credentials provider failed');
    expectNoSecret(e);
  });

  // A CiCredentialsError from the fetcher is passed through unchanged.
  it('passes a CiCredentialsError from the fetcher through', async () => {
    const own = new CiCredentialsError('role assumption denied');
    const e = await asyncError(refreshingCredentials(() => Promise.reject(own))());
    expect(e).toBe(own);
  });

  // A fetcher that returns unusable credentials: the field is named, nothing is cached, the next call refetches.
  it('rejects, and does not cache, invalid fetched credentials', async () => {
    let calls = 0;
    const results: unknown[] = [
      { secretId: SECRET_ID, secretKey: '', sessionToken: TOKEN },
      { secretId: SECRET_ID, secretKey: SECRET_KEY },
    ];
    const provider = refreshingCredentials(async () => results[calls++] as Credentials);
    const e = await asyncError(provider());
    expect(e.message).toBe('credentials provider: secretKey is missing or empty');
    expectNoSecret(e);
    await expect(provider()).resolves.toMatchObject({ secretKey: SECRET_KEY });
    await provider();
    expect(calls).toBe(2);
  });

  // A failed refresh does not poison later calls: after expiry and one failure, the next call recovers.
  it('recovers after a failed refresh', async () => {
    const clock = { t: T0 };
    let calls = 0;
    const provider = refreshingCredentials(
      async () => {
        calls++;
        if (calls === 2) throw new Error('temporary outage');
        return { secretId: `AKIDtmp${calls}`, secretKey: 'k', expiration: new Date(clock.t + HOUR) };
      },
      { now: () => clock.t },
    );
    expect((await provider()).secretId).toBe('AKIDtmp1');
    clock.t = T0 + HOUR;
    await asyncError(provider());
    expect((await provider()).secretId).toBe('AKIDtmp3');
    expect(calls).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('toCredentialProvider', () => {
  // Static credentials are checked at once (synchronously), then served as given.
  it('checks static credentials immediately', async () => {
    const e = syncError(() => toCredentialProvider({ secretId: SECRET_ID, secretKey: '' }));
    expect(e.message).toBe('credentials: secretKey is missing or empty');
    expectNoSecret(e);
    const provider = toCredentialProvider({ secretId: SECRET_ID, secretKey: SECRET_KEY });
    expect(await provider()).toBe(await provider());
  });

  // A function is wrapped in refreshingCredentials (memoised).
  it('memoises a provider function', async () => {
    const fetcher: CredentialProvider = jest.fn(async () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }));
    const provider = toCredentialProvider(fetcher);
    await Promise.all([provider(), provider()]);
    await provider();
    expect(fetcher).toHaveBeenCalledTimes(1);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('what is signed is what is sent: unsendable characters in credentials', () => {
  // fetch trims header values (and refuses CR/LF/NUL), the signer signs what it is given: every value that
  // would not travel as signed is refused before sending, naming the field and never the value
  const BAD: ReadonlyArray<readonly [label: string, make: (v: string) => string, applies: 'all' | 'header']> = [
    ['CR inside', (v) => `${v.slice(0, 4)}\r${v.slice(4)}`, 'all'],
    ['LF inside', (v) => `${v.slice(0, 4)}\n${v.slice(4)}`, 'all'],
    ['CRLF inside', (v) => `${v.slice(0, 4)}\r\n${v.slice(4)}`, 'all'],
    ['TAB inside', (v) => `${v.slice(0, 4)}\t${v.slice(4)}`, 'all'],
    ['NUL inside', (v) => `${v.slice(0, 4)}\0${v.slice(4)}`, 'all'],
    ['DEL inside', (v) => `${v.slice(0, 4)}\x7f${v.slice(4)}`, 'all'],
    ['C1 control (U+0085)', (v) => `${v}\u0085`, 'all'],
    ['ESC', (v) => `\x1b${v}`, 'all'],
    ['trailing newline (read from a file)', (v) => `${v}\n`, 'all'],
    ['trailing CRLF', (v) => `${v}\r\n`, 'all'],
    ['leading space', (v) => ` ${v}`, 'all'],
    ['trailing space', (v) => `${v} `, 'all'],
    ['trailing no-break space', (v) => `${v}\u00a0`, 'all'],
    ['non-ASCII (é)', (v) => `${v}é`, 'header'],
    ['non-Latin-1 (€)', (v) => `${v}€`, 'header'],
  ];
  const GOOD = { secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: TOKEN };
  const FIELDS = ['secretId', 'secretKey', 'sessionToken'] as const;
  const cases = FIELDS.flatMap((field) =>
    BAD.filter(([, , applies]) => applies === 'all' || field !== 'secretKey').map(([label, make]) => [field, label, make] as const),
  );

  it.each(cases)('%s with %s is refused from static credentials, a provider and the environment', async (field, _label, make) => {
    const bad = { ...GOOD, [field]: make(GOOD[field]) };
    const secrets = [...SECRETS, bad[field]];
    const fromStatic = syncError(() => toCredentialProvider(bad));
    const fromProvider = await asyncError(refreshingCredentials(async () => bad)());
    const env = {
      TENCENTCLOUD_SECRET_ID: bad.secretId,
      TENCENTCLOUD_SECRET_KEY: bad.secretKey,
      TENCENTCLOUD_SESSION_TOKEN: bad.sessionToken,
    };
    const fromEnvironment = await asyncError(fromEnv(env)());
    for (const e of [fromStatic, fromProvider, fromEnvironment]) {
      expect(e.message).toMatch(new RegExp(`: ${field} (holds|has leading or trailing)`));
      expect(e.message).toMatch(/nothing was sent$/);
      expectNoSecret(e, secrets);
    }
  });

  it('accepts printable ASCII, and any printable character in the SecretKey (it is never sent)', () => {
    const token = 'a+b/c=d%2F-_.~!*()';
    expect(checkCredentials({ secretId: SECRET_ID, secretKey: 'ké€y 中文 with spaces', sessionToken: token }).sessionToken).toBe(token);
  });
});

describe('refreshingCredentials: the refresh window', () => {
  const T0 = 1_700_000_000_000;

  it('credentials that arrive inside the 60 s window are used until they expire, not fetched on every call', async () => {
    const clock = { t: T0 };
    const fetcher = jest.fn(async () => ({ secretId: 'AKIDshort', secretKey: 'k', expiration: new Date(clock.t + 30_000) }));
    const provider = refreshingCredentials(fetcher, { now: () => clock.t });
    for (let i = 0; i < 10; i++) {
      await provider();
      clock.t += 2_000; // 20 s in all: still valid
    }
    expect(fetcher).toHaveBeenCalledTimes(1);
    clock.t = T0 + 30_000; // expired: fetched again
    await provider();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('a failed refresh inside the window keeps the still-valid credentials, once; after expiry it is an error', async () => {
    const clock = { t: T0 };
    let fail = false;
    const fetcher = jest.fn(async () => {
      if (fail) throw new Error('STS down');
      return { secretId: 'AKIDlong', secretKey: 'k', expiration: new Date(clock.t + 3_600_000) };
    });
    const provider = refreshingCredentials(fetcher, { now: () => clock.t });
    const first = await provider();
    fail = true;
    clock.t = T0 + 3_600_000 - 30_000; // inside the window
    expect(await provider()).toBe(first);
    expect(await provider()).toBe(first); // no second refresh for the same window
    expect(fetcher).toHaveBeenCalledTimes(2);
    clock.t = T0 + 3_600_000; // expired: never used
    const e = await asyncError(provider());
    expect(e.message).toBe('The credentials provider failed');
    fail = false;
    expect((await provider()).secretId).toBe('AKIDlong');
  });

  it('concurrent callers inside the window share one refresh', async () => {
    const clock = { t: T0 };
    let calls = 0;
    const provider = refreshingCredentials(
      async () => ({ secretId: `AKID${++calls}`, secretKey: 'k', expiration: new Date(clock.t + 3_600_000) }),
      { now: () => clock.t },
    );
    await provider();
    clock.t = T0 + 3_600_000 - 10_000;
    const got = await Promise.all(Array.from({ length: 20 }, () => provider()));
    expect(new Set(got.map((c) => c.secretId))).toEqual(new Set(['AKID2']));
    expect(calls).toBe(2);
  });

  it('credentials already expired when the provider returns them are refused, never used', async () => {
    const provider = refreshingCredentials(async () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY, expiration: new Date(T0 - 1) }), {
      now: () => T0,
    });
    const e = await asyncError(provider());
    expect(e.message).toMatch(/expired at 2023-11-14T22:13:19\.999Z; nothing was sent/);
    expectNoSecret(e);
  });

  it('a fetch hung for longer than hungAfterMs is abandoned: the next caller starts a fresh one', async () => {
    const clock = { t: T0 };
    let calls = 0;
    const provider = refreshingCredentials(
      () => {
        calls++;
        return calls === 1 ? new Promise<Credentials>(() => undefined) : Promise.resolve({ secretId: SECRET_ID, secretKey: SECRET_KEY });
      },
      { now: () => clock.t, hungAfterMs: 5_000 },
    );
    void provider(); // hangs
    await flush();
    clock.t += 4_999;
    void provider(); // joins the hung one
    await flush();
    expect(calls).toBe(1);
    clock.t += 1;
    await expect(provider()).resolves.toMatchObject({ secretId: SECRET_ID });
    expect(calls).toBe(2);
  });
});
