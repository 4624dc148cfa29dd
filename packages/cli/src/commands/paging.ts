/**
 * What `queues list` and `templates list` share: page-number paging flags, one page or `--all`, and ids
 * asked for that do not exist.
 */
import { Command, Option } from 'commander';
import { CommandFailure, intInRange, plural, printJson, type CliIo } from '../common';
import { sanitize } from '../table';

/** The paging flags, as parsed. */
export type PagingFlags = {
  pageNumber?: number | undefined;
  pageSize?: number | undefined;
  all?: boolean | undefined;
  json?: boolean | undefined;
};

/** Adds `--page-number`, `--page-size`, `--all`, `--json` to a listing command; `items` is e.g. `queues`. */
export function addPagingOptions(cmd: Command, items: string, listElement: string): Command {
  return cmd
    .addOption(
      new Option('--page-number <n>', 'page to print, from 1 (with --all: the first page fetched)').argParser(intInRange(1, 1_000_000)),
    )
    .addOption(new Option('--page-size <n>', `${items} per page, 1 to 100 (service default 10)`).argParser(intInRange(1, 100)))
    .option('--all', 'fetch every page, one request per page')
    .option('--json', `print JSON: the page as decoded, or with --all { "${listElement}": [every item] }`);
}

/** A page of a page-number listing, as the client returns it. */
export interface NumberedPage {
  readonly TotalCount?: number | undefined;
  readonly PageNumber?: number | undefined;
  readonly PageSize?: number | undefined;
}

/**
 * The line under a one-page table that tells how to get the next page (`Page 1 of 3 (25 queues); next:
 * --page-number 2`), or '' when this is the last page (or the service sent no TotalCount).
 */
export function nextPageLine(page: NumberedPage, shown: number, flags: PagingFlags, item: string): string {
  const total = page.TotalCount;
  if (total === undefined) return '';
  const number = page.PageNumber ?? flags.pageNumber ?? 1;
  const size = page.PageSize ?? flags.pageSize ?? 10;
  const pages = Math.max(1, Math.ceil(total / size));
  if (shown === 0 || number * size >= total) return '';
  return `Page ${number} of ${pages} (${plural(total, item)}); next: --page-number ${number + 1}\n`;
}

/**
 * Whether the listing printed every item that matches: `--all`, or the first page when it can hold every
 * requested id. Only then can an id that was not listed be said not to exist.
 */
export function listsEveryMatch(flags: PagingFlags, ids: readonly string[] | undefined): boolean {
  return flags.all === true || ((flags.pageNumber ?? 1) === 1 && (flags.pageSize ?? 10) >= (ids?.length ?? 0));
}

/** The requested ids that are neither in `found` nor already in `missing` (what the service said is missing). */
export function missingIds(requested: readonly string[] | undefined, found: ReadonlySet<string>, missing: readonly string[]): string[] {
  const out = [...missing];
  for (const id of requested ?? []) if (!found.has(id) && !out.includes(id)) out.push(id);
  return out;
}

/** The `fetched N queues in P pages` line of `--all` listings, on stderr. */
export function reportFetched(io: CliIo, count: number, pages: number, item: string): void {
  io.stderr(`fetched ${plural(count, item)} in ${plural(pages, 'page')}\n`);
}

/** `no such queue: B, C` */
export function noSuch(item: string, ids: readonly string[]): string {
  return `no such ${item}: ${ids.map(sanitize).join(', ')}`;
}

/** How one page-number listing (queues, templates) is fetched, shown and checked. */
export interface NumberedListing<Page extends NumberedPage, Item> {
  /** `queue`, `template`: for messages. */
  readonly noun: string;
  /** The list element of a page and of the `--all --json` document, e.g. `QueueList`. */
  readonly listElement: string;
  /** One page (without `--all`). */
  readonly fetchPage: () => Promise<Page>;
  /** Every page from the requested one (with `--all`). */
  readonly pages: () => AsyncIterable<Page>;
  readonly itemsOf: (page: Page) => readonly Item[];
  /** The ids the service said do not exist, and the element that holds them, e.g. `NonExistPIDs`. */
  readonly nonExistOf: (page: Page) => readonly string[];
  readonly nonExistElement: string;
  readonly idOf: (item: Item) => string | undefined;
  readonly print: (items: readonly Item[]) => void;
  /** Ids asked for by the user, when a wrong one must not go unnoticed (undefined when the listing is filtered). */
  readonly requestedIds: readonly string[] | undefined;
}

/**
 * `queues list` / `templates list`: one page (table + a "next page" line, or the decoded page as JSON), or with
 * `--all` every page (one table, or `{ <listElement>: [...] }`) and a `fetched …` line on stderr. Throws a
 * {@link CommandFailure} naming the requested ids that do not exist.
 */
export async function listNumbered<Page extends NumberedPage, Item>(
  io: CliIo,
  flags: PagingFlags,
  listing: NumberedListing<Page, Item>,
): Promise<void> {
  const items: Item[] = [];
  const nonExist: string[] = [];
  const collectMissing = (page: Page) => {
    for (const id of listing.nonExistOf(page)) if (!nonExist.includes(id)) nonExist.push(id);
  };
  if (flags.all) {
    let pages = 0;
    for await (const page of listing.pages()) {
      pages++;
      items.push(...listing.itemsOf(page));
      collectMissing(page);
    }
    if (flags.json)
      printJson(io, { [listing.listElement]: items, ...(nonExist.length > 0 ? { [listing.nonExistElement]: nonExist } : {}) });
    else listing.print(items);
    reportFetched(io, items.length, pages, listing.noun);
  } else {
    const page = await listing.fetchPage();
    items.push(...listing.itemsOf(page));
    collectMissing(page);
    if (flags.json) printJson(io, page);
    else {
      listing.print(items);
      io.stdout(nextPageLine(page, items.length, flags, listing.noun));
    }
  }
  // asked for by id: a wrong id must not go unnoticed
  const found = new Set(items.flatMap((item) => listing.idOf(item) ?? []));
  const requested = listing.requestedIds !== undefined && listsEveryMatch(flags, listing.requestedIds) ? listing.requestedIds : [];
  const missing = missingIds(requested, found, nonExist);
  if (missing.length > 0) throw new CommandFailure(noSuch(listing.noun, missing));
}
