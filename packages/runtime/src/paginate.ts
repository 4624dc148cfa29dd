/** Paging helpers: NextToken paging and page-number paging, as async iterators. */
import { CiDecodeError, CiValidationError } from './errors';

/** Default of {@link PaginateOptions.maxEmptyPages}: consecutive empty pages followed before giving up. */
export const MAX_EMPTY_PAGES = 100;

/** Options of {@link paginate}. */
export interface PaginateOptions<P> {
  /** The items of a page; needed to count empty pages. Without it, empty pages are not counted. */
  readonly itemsOf?: (page: P) => readonly unknown[];
  /**
   * Consecutive pages without an item but with a new NextToken that are followed before paging stops with
   * a {@link CiDecodeError}; default {@link MAX_EMPTY_PAGES} (100). A service may return an empty page with
   * a token while it scans (a filter matching nothing yet), so a few are normal; an endless run is not.
   */
  readonly maxEmptyPages?: number;
}

/** Whether a NextToken ends the listing: absent, empty or only whitespace. */
function isLastToken(token: string | undefined): token is undefined {
  return token === undefined || token === null || String(token).trim() === '';
}

/**
 * Iterates the pages of a NextToken listing: calls `fetchPage(token)` with `undefined` first (or
 * `firstToken`), then with each page's token, and stops when a token is absent, empty or only whitespace.
 * Throws {@link CiDecodeError} instead of looping forever when the service returns a token it already
 * returned, or more than `maxEmptyPages` (100) empty pages in a row, each with a new token. Throws
 * {@link CiValidationError} on a `maxEmptyPages` that is not a whole number >= 1.
 */
export async function* paginate<P>(
  fetchPage: (nextToken: string | undefined) => Promise<P>,
  getNextToken: (page: P) => string | undefined,
  firstToken?: string,
  options: PaginateOptions<P> = {},
): AsyncGenerator<P, void, undefined> {
  const maxEmpty = options.maxEmptyPages ?? MAX_EMPTY_PAGES;
  if (!Number.isSafeInteger(maxEmpty) || maxEmpty < 1) {
    throw new CiValidationError('Invalid paging options', [{ path: 'maxEmptyPages', message: 'must be a whole number >= 1' }]);
  }
  const seen = new Set<string>();
  let token = isLastToken(firstToken) ? undefined : firstToken;
  if (token) seen.add(JSON.stringify(token));
  let emptyRun = 0;
  for (;;) {
    const page = await fetchPage(token);
    yield page;
    const next = getNextToken(page);
    if (isLastToken(next)) return;
    if (seen.has(JSON.stringify(next))) {
      throw new CiDecodeError(`The service returned NextToken ${JSON.stringify(next.slice(0, 64))} twice; paging stopped to avoid a loop`);
    }
    if (options.itemsOf) {
      emptyRun = options.itemsOf(page).length === 0 ? emptyRun + 1 : 0;
      if (emptyRun >= maxEmpty) {
        throw new CiDecodeError(
          `The service returned ${emptyRun} empty pages in a row, each with a new NextToken; paging stopped (maxEmptyPages ${maxEmpty})`,
        );
      }
    }
    // a copy: the token is a slice of its page's body, which the set would otherwise keep alive for the listing
    seen.add(JSON.stringify(next));
    token = next;
  }
}

/**
 * Iterates the pages of a page-number listing from `firstPage` (default 1). Stops after an empty page
 * (the first one included); when pages give a `TotalCount`, once the items seen (counting `pageSize` for each
 * page skipped before `firstPage`) reach it — so a service that returns shorter pages than asked is still
 * followed to the end; without a total, after a page with fewer items than `pageSize`.
 */
export async function* paginateByNumber<P>(
  fetchPage: (pageNumber: number) => Promise<P>,
  itemsOf: (page: P) => readonly unknown[],
  totalOf: (page: P) => number | undefined,
  pageSize: number,
  firstPage = 1,
): AsyncGenerator<P, void, undefined> {
  let seen = (firstPage - 1) * pageSize;
  for (let pageNumber = firstPage; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    yield page;
    const count = itemsOf(page).length;
    seen += count;
    const total = totalOf(page);
    if (count === 0 || (total !== undefined ? seen >= total : count < pageSize)) return;
  }
}
