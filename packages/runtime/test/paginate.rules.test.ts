/** Paging rules with exact values: the last token, maxEmptyPages' edge, the repeated-token message, short pages. */
import { CiDecodeError, CiValidationError, paginate, paginateByNumber } from '../src';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paginate', () => {
  test('a null NextToken ends the listing like an absent one', async () => {
    const tokens: Array<string | undefined> = [];
    const pages = await collect(
      paginate(
        async (t) => (tokens.push(t), { next: t === undefined ? 'a' : null }),
        (p) => p.next as string | undefined,
      ),
    );
    expect(pages).toHaveLength(2);
    expect(tokens).toStrictEqual([undefined, 'a']);
  });

  test('maxEmptyPages 1: one empty page with a token stops; a page with items goes on', async () => {
    let calls = 0;
    const err = await collect(
      paginate(
        async () => (calls++, { items: calls === 1 ? [1] : [], next: `t${calls}` }),
        (p) => p.next,
        undefined,
        { itemsOf: (p) => p.items, maxEmptyPages: 1 },
      ),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect((err as Error).message).toBe(
      'The service returned 1 empty pages in a row, each with a new NextToken; paging stopped (maxEmptyPages 1)',
    );
    expect(calls).toBe(2);
  });

  test('an empty last page (no token) is no error, even with maxEmptyPages 1', async () => {
    const pages = await collect(
      paginate(
        async (t) => ({ items: [] as number[], next: t === undefined ? 'a' : undefined }),
        (p) => p.next,
        undefined,
        { itemsOf: (p) => p.items, maxEmptyPages: 2 },
      ),
    );
    expect(pages).toHaveLength(2);
  });

  test.each([0, -1, 1.5, Number.NaN, Infinity, 2 ** 53])('maxEmptyPages %p is a CiValidationError naming it', async (bad) => {
    const err = (await collect(
      paginate(
        async () => ({}),
        () => undefined,
        undefined,
        { maxEmptyPages: bad },
      ),
    ).catch((e: unknown) => e)) as CiValidationError;
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err.summary).toBe('Invalid paging options');
    expect(err.issues).toStrictEqual([{ path: 'maxEmptyPages', message: 'must be a whole number >= 1' }]);
  });

  test('the first token counts as seen: a service answering it again stops after one page', async () => {
    let calls = 0;
    const err = await collect(
      paginate(
        async () => (calls++, { next: 'start' }),
        (p) => p.next,
        'start',
      ),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect((err as Error).message).toBe('The service returned NextToken "start" twice; paging stopped to avoid a loop');
    expect(calls).toBe(1);
  });

  test('a repeated token is shown cut to 64 characters', async () => {
    const long = 'x'.repeat(100);
    let calls = 0;
    const err = await collect(
      paginate(
        async () => (calls++, { next: long }),
        (p) => p.next,
      ),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`The service returned NextToken "${'x'.repeat(64)}" twice; paging stopped to avoid a loop`);
    expect(calls).toBe(2);
  });

  test('without itemsOf, empty pages are not counted', async () => {
    let calls = 0;
    const pages = await collect(
      paginate(
        async () => (calls++, { items: [], next: calls < 150 ? `t${calls}` : '' }),
        (p) => p.next,
      ),
    );
    expect(pages).toHaveLength(150);
  });
});

describe('paginateByNumber', () => {
  test('without TotalCount: a full page asks for the next, a short one ends', async () => {
    const seen: number[] = [];
    const pages = await collect(
      paginateByNumber(
        async (n) => (seen.push(n), { list: n < 3 ? [1, 2] : [1] }),
        (p) => p.list,
        () => undefined,
        2,
      ),
    );
    expect(pages).toHaveLength(3);
    expect(seen).toStrictEqual([1, 2, 3]);
  });

  test('with TotalCount: the items seen reaching it end, one short goes on', async () => {
    const seen: number[] = [];
    await collect(
      paginateByNumber(
        async (n) => (seen.push(n), { list: [n] }),
        (p) => p.list,
        () => 3,
        1,
      ),
    );
    expect(seen).toStrictEqual([1, 2, 3]);
    // a page larger than pageSize still counts all its items
    const big: number[] = [];
    await collect(
      paginateByNumber(
        async (n) => (big.push(n), { list: [1, 2, 3] }),
        (p) => p.list,
        () => 5,
        2,
      ),
    );
    expect(big).toStrictEqual([1, 2]);
  });
});
