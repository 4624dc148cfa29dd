/** Paging helpers: NextToken paging and page-number paging, as async iterators. */
import { CiDecodeError } from './errors';

/**
 * Iterates the pages of a NextToken listing: calls `fetchPage(token)` with `undefined` first, then with
 * each page's token, and stops when a token is empty or absent. A token the service already returned
 * (a loop) throws {@link CiDecodeError} instead of looping forever.
 */
export async function* paginate<P>(
  fetchPage: (nextToken: string | undefined) => Promise<P>,
  getNextToken: (page: P) => string | undefined,
  firstToken?: string,
): AsyncGenerator<P, void, undefined> {
  const seen = new Set<string>();
  let token = firstToken || undefined;
  if (token) seen.add(token);
  for (;;) {
    const page = await fetchPage(token);
    yield page;
    const next = getNextToken(page);
    if (!next) return;
    if (seen.has(next)) {
      throw new CiDecodeError(`The service returned NextToken ${JSON.stringify(next.slice(0, 64))} twice; paging stopped to avoid a loop`);
    }
    seen.add(next);
    token = next;
  }
}

/**
 * Iterates the pages of a page-number listing from `firstPage` (default 1). Stops after an empty page; when
 * pages give a `TotalCount`, once the items seen (counting `pageSize` for each page skipped before
 * `firstPage`) reach it — so a service that returns shorter pages than asked is still followed to the end;
 * without a total, after a page with fewer items than `pageSize`.
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
