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
 * the field, never its value) when SecretId or SecretKey is missing or empty.
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
}

/**
 * Wraps a provider of temporary credentials: the result is memoised until `refreshBeforeSeconds` (60 s)
 * before its `expiration`; concurrent callers share one refresh; a failed refresh is not cached.
 */
export function refreshingCredentials(fetcher: CredentialProvider, options: RefreshOptions = {}): CredentialProvider {
  const before = (options.refreshBeforeSeconds ?? REFRESH_BEFORE_EXPIRY_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  let current: Credentials | undefined;
  let inflight: Promise<Credentials> | undefined;
  return () => {
    if (current && (!current.expiration || current.expiration.getTime() - before > now())) return Promise.resolve(current);
    inflight ??= (async () => {
      try {
        let fetched: unknown;
        try {
          fetched = await fetcher();
        } catch (cause) {
          if (cause instanceof CiCredentialsError) throw cause;
          throw new CiCredentialsError('The credentials provider failed', { cause });
        }
        current = checkCredentials(fetched, 'credentials provider');
        return current;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };
}

/** Turns what a client was given into a provider. Static credentials are checked at once. */
export function toCredentialProvider(input: CredentialsInput | undefined): CredentialProvider {
  if (input === undefined) return fromEnv();
  if (typeof input === 'function') return refreshingCredentials(input);
  const fixed = checkCredentials(input);
  return () => Promise.resolve(fixed);
}
