/** Paging: NextToken ends on empty or absent, and a repeated token stops instead of looping. */
import { CiDecodeError, paginate, paginateByNumber } from '../src';

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
});
