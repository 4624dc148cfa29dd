/**
 * Paging: NextToken ends on empty, whitespace-only or absent; a repeated token, or an endless run of empty
 * pages each with a new token, stops instead of looping; page-number paging ends on an empty page.
 */
import { CiDecodeError, CiValidationError, MAX_EMPTY_PAGES, paginate, paginateByNumber } from '../src';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paginate', () => {
  test('follows tokens and stops on an absent or empty token', async () => {
    for (const last of [undefined, '']) {
      const pages: Record<string, { items: number[]; next?: string }> = {
        start: { items: [1, 2], next: 'a' },
        a: { items: [3], next: 'b' },
        b: { items: [4], ...(last === undefined ? {} : { next: last }) },
      };
      const tokens: Array<string | undefined> = [];
      const got = await collect(
        paginate(
          async (t) => {
            tokens.push(t);
            return pages[t ?? 'start']!;
          },
          (p) => p.next,
        ),
      );
      expect(got.flatMap((p) => p.items)).toEqual([1, 2, 3, 4]);
      expect(tokens).toEqual([undefined, 'a', 'b']);
    }
  });

  test.each([' ', '\t', '\n', ' \r\n\t '])(
    'a NextToken that is only whitespace (%j) ends the listing, as an empty one does',
    async (blank) => {
      const tokens: Array<string | undefined> = [];
      const pages = await collect(
        paginate(
          async (t) => (tokens.push(t), { items: [1], next: t === undefined ? 'a' : blank }),
          (p) => p.next,
        ),
      );
      expect(pages).toHaveLength(2);
      expect(tokens).toEqual([undefined, 'a']);
      // a blank first token starts at the beginning
      const first: Array<string | undefined> = [];
      await collect(
        paginate(
          async (t) => (first.push(t), { next: undefined }),
          (p) => p.next,
          blank,
        ),
      );
      expect(first).toEqual([undefined]);
    },
  );

  test(`empty pages each with a new token stop after ${MAX_EMPTY_PAGES} in a row (a typed error), whatever the tokens`, async () => {
    for (const token of [(n: number) => `t${n}`, (n: number) => `${'x'.repeat(n % 7)}-${n}`, (n: number) => String(n)]) {
      let calls = 0;
      const err = await collect(
        paginate(
          async () => (calls++, { items: [] as number[], next: token(calls) }),
          (p) => p.next,
          undefined,
          { itemsOf: (p) => p.items },
        ),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CiDecodeError);
      expect((err as Error).message).toMatch(/100 empty pages in a row/);
      expect(calls).toBe(MAX_EMPTY_PAGES);
    }
  });

  test('an item resets the empty-page count; maxEmptyPages is configurable and checked', async () => {
    // 4 empty, 1 full, 4 empty, then the end: fine with maxEmptyPages 5
    const pattern = [0, 0, 0, 0, 1, 0, 0, 0, 0];
    let n = 0;
    const pages = await collect(
      paginate(
        async () => ({ items: Array(pattern[n] ?? 0).fill(n), next: ++n < pattern.length ? `t${n}` : '' }),
        (p) => p.next,
        undefined,
        { itemsOf: (p) => p.items, maxEmptyPages: 5 },
      ),
    );
    expect(pages).toHaveLength(pattern.length);
    let calls = 0;
    await expect(
      collect(
        paginate(
          async () => (calls++, { items: [], next: `t${calls}` }),
          (p) => p.next,
          undefined,
          { itemsOf: (p) => p.items, maxEmptyPages: 3 },
        ),
      ),
    ).rejects.toThrow(/3 empty pages in a row/);
    expect(calls).toBe(3);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      await expect(
        collect(
          paginate(
            async () => ({}),
            () => undefined,
            undefined,
            { maxEmptyPages: bad },
          ),
        ),
      ).rejects.toThrow(CiValidationError);
    }
  });

  test('starts from a given token', async () => {
    const tokens: Array<string | undefined> = [];
    await collect(
      paginate(
        async (t) => (tokens.push(t), { next: undefined }),
        (p) => p.next,
        'x',
      ),
    );
    expect(tokens).toEqual(['x']);
  });

  test('a repeated token throws instead of looping', async () => {
    let calls = 0;
    const it = paginate(
      async () => (calls++, { next: calls < 3 ? `t${calls}` : 't1' }),
      (p) => p.next,
    );
    await expect(collect(it)).rejects.toThrow(CiDecodeError);
    expect(calls).toBe(3);
  });

  test('the caller can stop early without fetching more', async () => {
    let calls = 0;
    for await (const _ of paginate(
      async () => (calls++, { next: `t${calls}` }),
      (p) => p.next,
    ))
      break;
    expect(calls).toBe(1);
  });
});

describe('paginateByNumber', () => {
  test('stops on a short page or at TotalCount', async () => {
    const data = Array.from({ length: 25 }, (_, i) => i);
    const seen: number[] = [];
    const pages = await collect(
      paginateByNumber(
        async (n) => (seen.push(n), { list: data.slice((n - 1) * 10, n * 10), total: 25 }),
        (p) => p.list,
        (p) => p.total,
        10,
      ),
    );
    expect(pages.flatMap((p) => p.list)).toEqual(data);
    expect(seen).toEqual([1, 2, 3]);
    // starting at page 2 still stops at TotalCount, counting the pages skipped
    const fromTwo: number[] = [];
    await collect(
      paginateByNumber(
        async (n) => (fromTwo.push(n), { list: data.slice((n - 1) * 10, n * 10), total: 25 }),
        (p) => p.list,
        (p) => p.total,
        10,
        2,
      ),
    );
    expect(fromTwo).toEqual([2, 3]);
    // a service that gives fewer items than asked is followed to TotalCount
    const short: number[] = [];
    await collect(
      paginateByNumber(
        async (n) => (short.push(n), { list: n <= 5 ? [1, 2] : [], total: 10 }),
        (p) => p.list,
        (p) => p.total,
        10,
      ),
    );
    expect(short).toEqual([1, 2, 3, 4, 5]);
    const exact = await collect(
      paginateByNumber(
        async (n) => ({ list: n <= 2 ? [1, 2] : [] }),
        (p) => p.list,
        () => 4,
        2,
      ),
    );
    expect(exact).toHaveLength(2);
  });

  test('an empty page stops, the first one included, with or without TotalCount (even a TotalCount that is never reached)', async () => {
    for (const total of [undefined, 0, 100, 1e9]) {
      let calls = 0;
      const pages = await collect(
        paginateByNumber(
          async () => (calls++, { list: [] as number[] }),
          (p) => p.list,
          () => total,
          10,
        ),
      );
      expect(pages).toHaveLength(1);
      expect(calls).toBe(1);
    }
  });
});
