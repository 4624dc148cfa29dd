/**
 * NextToken of DescribeMediaJobs: an opaque keyset cursor. It carries the position of the last job of the
 * page (its CreationTime in ms and its JobId), the order it was listed in, and a fingerprint of the filters,
 * with a checksum; it is base64 text (so it holds `+`, `/`, `=` that a client must percent-encode).
 *
 * Decoded: `v1|<Asc|Desc>|<creationTimeMs>|<encodeURIComponent(JobId)>|<filter fingerprint>|<checksum>`.
 * Clients must not rely on the form; the fake may change it.
 */
import { createHash } from 'node:crypto';
import type { JobSortKey, SortOrder } from './store';

/** What a NextToken holds. */
export interface ListCursor {
  readonly order: SortOrder;
  /** The last job of the previous page. */
  readonly after: JobSortKey;
  /** {@link filterFingerprint} of the listing's filters (the page size may change between pages; filters may not). */
  readonly fingerprint: string;
}

const VERSION = 'v1';

const checksum = (body: string): string => createHash('sha1').update(`cloud-infinite-fake-ci|${body}`).digest('hex').slice(0, 12);

/** A short hash of a listing's normalized filters (JSON values; undefined ones left out), for binding a NextToken to its listing. */
export function filterFingerprint(filters: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(
    Object.keys(filters)
      .sort()
      .filter((k) => filters[k] !== undefined)
      .map((k) => [k, filters[k]]),
  );
  return createHash('sha1').update(canonical).digest('hex').slice(0, 12);
}

/** Encodes a cursor as a NextToken. */
export function encodeNextToken(cursor: ListCursor): string {
  const body = [
    VERSION,
    cursor.order,
    String(cursor.after.creationTimeMs),
    encodeURIComponent(cursor.after.jobId),
    cursor.fingerprint,
  ].join('|');
  return Buffer.from(`${body}|${checksum(body)}`, 'utf8').toString('base64');
}

/** Decodes a NextToken; undefined when it is not one this service issued (garbled, truncated, foreign). */
export function decodeNextToken(token: string): ListCursor | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const parts = text.split('|');
  if (parts.length !== 6) return undefined;
  const [version, order, ms, jobId, fingerprint, sum] = parts as [string, string, string, string, string, string];
  if (version !== VERSION || (order !== 'Asc' && order !== 'Desc') || !/^-?\d{1,16}$/.test(ms)) return undefined;
  if (sum !== checksum(parts.slice(0, 5).join('|'))) return undefined;
  let decodedId: string;
  try {
    decodedId = decodeURIComponent(jobId);
  } catch {
    return undefined;
  }
  return { order, after: { creationTimeMs: Number(ms), jobId: decodedId }, fingerprint };
}
