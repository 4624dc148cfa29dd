/**
 * Where the fallback reader is loaded lazily (a browser, a worker: `#xml-fallback` → fallback-lazy), a document in
 * the single-pass subset decodes at once; one outside it needs the fallback: the synchronous decoders say so with a
 * CiDecodeError (never a wrong value), the asynchronous one loads it and decodes, and after `loadXmlFallback()` the
 * synchronous ones work too.
 */
type Runtime = typeof import('../src');

function lazyRuntime(): Runtime {
  let runtime: Runtime | undefined;
  jest.isolateModules(() => {
    jest.doMock('#xml-fallback', () => jest.requireActual('../src/xml/fallback-lazy'));
    runtime = jest.requireActual('../src') as Runtime;
  });
  return runtime!;
}

const SUBSET = '<Response><Token>a&amp;b</Token></Response>';
const OUTSIDE = '<Response><!-- a comment --><Token><![CDATA[a&b]]></Token></Response>';

test('the subset needs no fallback; outside it, sync decoding refuses until the fallback is loaded', async () => {
  const rt = lazyRuntime();
  const doc = rt.documentShape('Response', rt.objectShape([rt.member('Token', 'string')]));
  expect(rt.decodeXml(SUBSET, doc)).toStrictEqual({ Token: 'a&b' });
  let refused: unknown;
  try {
    rt.decodeXml(OUTSIDE, doc);
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(rt.CiDecodeError);
  expect((refused as Error).message).toMatch(/loadXmlFallback/);
  expect((await rt.decodeDocumentAsync(OUTSIDE, doc)).value).toStrictEqual({ Token: 'a&b' });
  // loaded now: the synchronous decoder works as well
  expect(rt.decodeXml(OUTSIDE, doc)).toStrictEqual({ Token: 'a&b' });
});

test('loadXmlFallback loads once, concurrent callers share it; errors keep their meaning', async () => {
  const rt = lazyRuntime();
  const doc = rt.documentShape('Response', rt.objectShape([rt.member('Count', 'integer')]));
  await Promise.all([rt.loadXmlFallback(), rt.loadXmlFallback()]);
  // a real error of the fallback is still a CiDecodeError naming the path, not the "not loaded" one
  await expect(rt.decodeDocumentAsync('<Response><!--x--><Count>abc</Count></Response>', doc)).rejects.toMatchObject({
    name: 'CiDecodeError',
    path: 'Response.Count',
  });
});
