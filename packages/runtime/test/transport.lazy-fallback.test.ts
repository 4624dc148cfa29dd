/**
 * The transport where the XML fallback is loaded lazily (a browser, a worker): a response outside the single-pass
 * subset makes the transport load the fallback, then decode; the message of the synchronous refusal is exact.
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

test('a 2xx outside the subset: the transport loads the fallback and decodes, within the call', async () => {
  const rt = lazyRuntime();
  const doc = rt.documentShape('Response', rt.objectShape([rt.member('Items', 'string', { array: true })]));
  const op = { id: 'Get', method: 'GET', path: '/x', params: [], response: doc, idempotent: true } as const;
  const fetch = (async () =>
    new Response('<Response><!-- c --><Items><![CDATA[a&b]]></Items></Response>', { status: 200 })) as unknown as typeof globalThis.fetch;
  const t = new rt.Transport({
    endpoint: 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com',
    credentials: { secretId: 'AKIDlazy', secretKey: 'lazy-secret' },
    fetch,
  });
  const r = await t.invoke(op, {});
  expect(r).toStrictEqual({ Items: ['a&b'] });
  expect(r.$metadata.attempts).toBe(1);
});

test('the synchronous refusal says what to do; decodeDocumentAsync passes any other error through', async () => {
  const rt = lazyRuntime();
  const doc = rt.documentShape('Response', rt.objectShape([rt.member('N', 'integer')]));
  expect(() => rt.decodeXml('<Response><!--x--></Response>', doc)).toThrow(
    new rt.CiDecodeError(
      'This document is outside the XML subset the single-pass reader handles (a comment, CDATA, an attribute, a namespace); ' +
        'the fallback reader is not loaded here: `await loadXmlFallback()` first, or use decodeDocumentAsync',
    ),
  );
  // an error of the subset reader itself needs no fallback and is not retried with it
  await expect(rt.decodeDocumentAsync('<Response><N>x</N></Response>', doc)).rejects.toThrow('Expected an integer (at Response.N)');
  await expect(rt.decodeDocumentAsync('<Response><N>2</N></Response>', doc)).resolves.toStrictEqual({
    value: { N: 2 },
    issues: [],
    issueCount: 0,
  });
});
