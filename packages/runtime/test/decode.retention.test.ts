/**
 * A decoded value holds its own characters: keeping one string of a page (a JobId, a NextToken) does not keep the
 * page's body alive (V8 would keep a long slice as a view of its parent). Measured with 13 MB bodies and a forced
 * garbage collection; the margin is wide.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeXml, documentShape, member, objectShape, paginate } from '../src';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const Doc = documentShape(
  'Response',
  objectShape([member('Items', objectShape([member('Id', 'string')]), { array: true }), member('NextToken', 'string')]),
);

function bigPage(token: string): string {
  const item = `<Items><Id>j${'0123456789abcdef'.repeat(2)}</Id><Pad>${'x'.repeat(1000)}</Pad></Items>`;
  // as the transport has it: decoded from the response's bytes, one flat string
  return new TextDecoder().decode(new TextEncoder().encode(`<Response>${item.repeat(12_000)}<NextToken>${token}</NextToken></Response>`));
}

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

test('keeping one decoded string does not keep the body alive', () => {
  const before = heap();
  let kept: string[] = [];
  for (let i = 0; i < 6; i++) {
    const decoded = decodeXml(bigPage(`token-${i}-${'t'.repeat(40)}`), Doc, { maxChars: 1e8 }) as {
      Items: Array<{ Id: string }>;
      NextToken: string;
    };
    kept.push(decoded.Items[7]!.Id, decoded.NextToken);
  }
  const after = heap();
  expect(kept).toHaveLength(12);
  // six 13 MB bodies kept would be 78 MB; what is kept is a few hundred bytes (V8 may hold on to the last body it
  // built for a while, hence the margin of two bodies)
  expect(after - before).toBeLessThan(30 * 1024 * 1024);
  kept = [];
});

test('the tokens a listing remembers do not keep their pages alive while it runs', async () => {
  const before = heap();
  const pages = 6;
  let n = 0;
  let during = 0;
  for await (const page of paginate(
    async (token) =>
      decodeXml(bigPage(n < pages - 1 ? `next-${n++}-${'t'.repeat(40)}${token ?? ''}`.slice(0, 80) : ''), Doc, { maxChars: 1e8 }),
    (p) => p.NextToken as string | undefined,
  )) {
    // the listing is still running: what it holds (the tokens seen so far) is live
    if (!page.NextToken) during = heap() - before;
  }
  expect(during).toBeGreaterThan(0);
  expect(during).toBeLessThan(30 * 1024 * 1024);
});
