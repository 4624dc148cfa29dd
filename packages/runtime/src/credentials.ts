/**
 * Credentials: static keys, an async provider of temporary keys (memoised, refreshed before expiry), and
 * the environment (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN`).
 */
import { CiCredentialsError } from './errors';

/** A SecretId/SecretKey pair, with a session token for temporary credentials. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials; sent as `x-ci-security-token` and signed. */
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working. */
  readonly expiration?: Date | undefined;
}

/** Returns credentials for the next request. */
export type CredentialProvider = () => Promise<Credentials>;

/** What a client accepts: fixed credentials or a provider. */
export type CredentialsInput = Credentials | CredentialProvider;

/** Seconds before `expiration` at which a refreshing provider fetches new credentials. */
export const REFRESH_BEFORE_EXPIRY_SECONDS = 60;

/**
 * Checks credentials and returns them without extra members. Throws {@link CiCredentialsError} (naming
 * the field, never its value) when SecretId or SecretKey is missing or empty, or when a value would not be
 * sent as it is signed: a control character (CR, LF, TAB, NUL, DEL, …) anywhere, leading or trailing
 * whitespace (fetch trims header values, the signature does not), and in the SecretId or session token,
 * which travel in headers, anything but printable ASCII.
 */
export function checkCredentials(value: unknown, source = 'credentials'): Credentials {
  if (typeof value !== 'object' || value === null) {
    throw new CiCredentialsError(`${source}: expected { secretId, secretKey, sessionToken? }`);
  }
  const c = value as Record<string, unknown>;
  for (const field of ['secretId', 'secretKey'] as const) {
    if (typeof c[field] !== 'string' || (c[field] as string).trim() === '') {
      throw new CiCredentialsError(`${source}: ${field} is missing or empty`);
    }
  }
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string') {
    throw new CiCredentialsError(`${source}: sessionToken must be a string`);
  }
  for (const field of ['secretId', 'secretKey', 'sessionToken'] as const) {
    const problem = typeof c[field] === 'string' ? unsendable(c[field] as string, field !== 'secretKey') : undefined;
    if (problem) throw new CiCredentialsError(`${source}: ${field} ${problem}; nothing was sent`);
  }
  if (c.expiration !== undefined && !(c.expiration instanceof Date && !Number.isNaN(c.expiration.getTime()))) {
    throw new CiCredentialsError(`${source}: expiration must be a valid Date`);
  }
  return {
    secretId: c.secretId as string,
    secretKey: c.secretKey as string,
    sessionToken: (c.sessionToken as string | undefined) || undefined,
    expiration: c.expiration as Date | undefined,
  };
}

const CONTROL_NAMES: Readonly<Record<number, string>> = { 0: 'NUL', 9: 'TAB', 10: 'LF', 13: 'CR', 127: 'DEL' };

/**
 * Why `value` cannot be sent as signed, or undefined. The message names the character's position and, for
 * a control character or whitespace (never part of a real key), its code point; never the value.
 */
function unsendable(value: string, inHeader: boolean): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
      const name = CONTROL_NAMES[c] ?? `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      return `holds a control character (${name}) at position ${i}`;
    }
    if (inHeader && c > 0x7e) return `holds a character that is not printable ASCII at position ${i} (it is sent in a header)`;
  }
  if (value.trim() !== value) return 'has leading or trailing whitespace';
  return undefined;
}

/**
 * Credentials read from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and `TENCENTCLOUD_SESSION_TOKEN`.
 * Without `env`: `process.env`, or none where there is no `process` (a browser: every call then fails with
 * {@link CiCredentialsError}).
 */
export function fromEnv(env: Readonly<Record<string, string | undefined>> = globalThis.process?.env ?? {}): CredentialProvider {
  return async () => {
    if (!env.TENCENTCLOUD_SECRET_ID || !env.TENCENTCLOUD_SECRET_KEY) {
      throw new CiCredentialsError(
        'No credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN for temporary keys)',
      );
    }
    return checkCredentials(
      {
        secretId: env.TENCENTCLOUD_SECRET_ID,
        secretKey: env.TENCENTCLOUD_SECRET_KEY,
        sessionToken: env.TENCENTCLOUD_SESSION_TOKEN || undefined,
      },
      'environment',
    );
  };
}

/** Options of {@link refreshingCredentials}. */
export interface RefreshOptions {
  /** Refresh this many seconds before `expiration`; default 60. */
  readonly refreshBeforeSeconds?: number;
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /**
   * How long one fetch of the provider is waited for before it counts as hung, in milliseconds; default
   * {@link PROVIDER_HUNG_MS} (30 s). The next caller after that starts a fresh fetch instead of joining the
   * hung one, so a provider that hangs once does not hold every later call. (Each call is bounded by its
   * own `timeoutMs` anyway.) No timer is involved.
   */
  readonly hungAfterMs?: number;
}

/** Default of {@link RefreshOptions.hungAfterMs}, in milliseconds. */
export const PROVIDER_HUNG_MS = 30_000;

/**
 * Wraps a provider of temporary credentials.
 *
 * - Credentials are memoised until `refreshBeforeSeconds` (60 s) before their `expiration`; then one
 *   refresh is made, shared by every concurrent caller.
 * - One refresh per window: credentials that arrive already inside the window (they live less than 60 s)
 *   are used until they expire, not fetched again on every call.
 * - A refresh that fails while the current credentials are still valid is not an error: the current ones are
 *   used until they expire (no new refresh is tried for them); once they have expired, the next call fetches
 *   again and a failure is a {@link CiCredentialsError}.
 * - Expired credentials are never used: a provider answering with credentials whose `expiration` has
 *   passed fails with a {@link CiCredentialsError}.
 * - A failed fetch is not cached; one pending longer than `hungAfterMs` (30 s) is abandoned by the next caller.
 */
export function refreshingCredentials(fetcher: CredentialProvider, options: RefreshOptions = {}): CredentialProvider {
  const before = (options.refreshBeforeSeconds ?? REFRESH_BEFORE_EXPIRY_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const hungAfterMs = options.hungAfterMs ?? PROVIDER_HUNG_MS;
  let current: Credentials | undefined;
  /** The credentials whose window has had its refresh (or that arrived inside their window). */
  let refreshed: Credentials | undefined;
  let inflight: { readonly startedAt: number; promise?: Promise<Credentials> } | undefined;
  const fetchOnce = (): Promise<Credentials> => {
    if (inflight?.promise && now() - inflight.startedAt < hungAfterMs) return inflight.promise;
    // none, or one hung for longer than hungAfterMs: a fresh fetch (the hung one's late answer is dropped)
    const entry: { readonly startedAt: number; promise?: Promise<Credentials> } = { startedAt: now() };
    inflight = entry;
    entry.promise = (async () => {
      try {
        const fetched = checkFetched(await callProvider(fetcher));
        const expires = fetched.expiration?.getTime();
        if (expires !== undefined && expires <= now()) {
          throw new CiCredentialsError(
            `credentials provider: the credentials it returned expired at ${fetched.expiration!.toISOString()}; nothing was sent`,
          );
        }
        if (inflight === entry) {
          current = fetched;
          if (expires !== undefined && expires - before <= now()) refreshed = fetched;
        }
        return fetched;
      } finally {
        if (inflight === entry) inflight = undefined;
      }
    })();
    return entry.promise;
  };
  return () => {
    const held = current;
    const expires = held?.expiration?.getTime();
    if (held && (expires === undefined || expires - before > now())) return Promise.resolve(held);
    if (held && expires! > now()) {
      // inside the window, still valid: one refresh, and the current credentials if it fails
      if (refreshed === held) return Promise.resolve(held);
      return fetchOnce().catch((cause: unknown) => {
        refreshed = held;
        if (held.expiration!.getTime() > now()) return held;
        throw new CiCredentialsError('The credentials provider failed and the current credentials have expired', { cause });
      });
    }
    return fetchOnce();
  };
}

/** {@link checkCredentials} of what a provider returned; an object that throws when read is a {@link CiCredentialsError} too. */
function checkFetched(value: unknown): Credentials {
  try {
    return checkCredentials(value, 'credentials provider');
  } catch (cause) {
    if (cause instanceof CiCredentialsError) throw cause;
    throw new CiCredentialsError('credentials provider: the credentials it returned could not be read', { cause });
  }
}

/** `fetcher()`, its failure wrapped in a {@link CiCredentialsError} (a CiCredentialsError passes through). */
async function callProvider(fetcher: CredentialProvider): Promise<unknown> {
  try {
    return await fetcher();
  } catch (cause) {
    if (cause instanceof CiCredentialsError) throw cause;
    throw new CiCredentialsError('The credentials provider failed', { cause });
  }
}

/** Turns what a client was given into a provider. Static credentials are checked at once. */
export function toCredentialProvider(input: CredentialsInput | undefined): CredentialProvider {
  if (input === undefined) return fromEnv();
  if (typeof input === 'function') return refreshingCredentials(input);
  const fixed = checkCredentials(input);
  return () => Promise.resolve(fixed);
}
