/**
 * Spec-driven XML decoding: arrays and scalar types come from the shape, never from the document; empty
 * containers are absent; unknown elements keep one shape; issues are reported, bounded. Every case runs through
 * both readers: the single-pass reader (`auto`) and the fast-xml-parser fallback.
 */
import { CiDecodeError, decodeDocument, decodeXml, documentShape, member, objectShape, parseDocument, type DecodeOptions } from '../src';

const Item = objectShape([
  member('Id', 'string', { required: true }),
  member('Count', 'integer', { minimum: 0, maximum: 100 }),
  member('Ratio', 'number'),
  member('Enabled', 'boolean'),
  member('Names', 'string', { array: true }),
]);
const Doc = documentShape(
  'Response',
  objectShape([
    member('Items', Item, { array: true, required: true }),
    member('Optional', Item, { array: true }),
    member('Single', Item),
    member('QueueId', 'string', { xmlName: 'QueueID', aliases: ['QueueId'] }),
    member('Token', 'string'),
    member('Missing', 'string', { array: true, nestedItems: ['QueueID'] }),
    member('Total', 'integer', { minimum: 0 }),
  ]),
);

describe.each<[string, DecodeOptions['reader']]>([
  ['single-pass reader', 'auto'],
  ['fallback', 'fallback'],
])('decodeXml (%s)', (_name, reader) => {
  const decode = (xml: string) => decodeXml(xml, Doc, { reader });
  const issues = (xml: string) => decodeDocument(xml, Doc, { reader }).issues;
  const decodeError = (xml: string): CiDecodeError => {
    try {
      decode(xml);
    } catch (e) {
      expect(e).toBeInstanceOf(CiDecodeError);
      return e as CiDecodeError;
    }
    throw new Error(`expected a CiDecodeError for ${xml}`);
  };

  test('a lone element is a one-element array; several are an array; none is [] when required', () => {
    expect(decode('<Response><Items><Id>a</Id></Items></Response>').Items).toStrictEqual([{ Id: 'a' }]);
    expect(decode('<Response><Items><Id>a</Id></Items><Items><Id>b</Id></Items></Response>').Items).toStrictEqual([
      { Id: 'a' },
      { Id: 'b' },
    ]);
    expect(decode('<Response></Response>')).toStrictEqual({ Items: [] });
    expect(decode('<Response/>')).toStrictEqual({ Items: [] });
    // an optional array stays absent
    expect(decode('<Response/>')).not.toHaveProperty('Optional');
  });

  test('strings stay strings, whatever they look like', () => {
    const r = decode(
      '<Response><Items><Id>0123</Id><Names>1e5</Names><Names>00000000000000000000123</Names><Names> padded </Names><Names/></Items></Response>',
    );
    expect(r.Items).toStrictEqual([{ Id: '0123', Names: ['1e5', '00000000000000000000123', ' padded ', ''] }]);
  });

  test('integer, number and boolean leaves are converted; an empty one is absent, never 0 or undefined-valued', () => {
    const r = decode(
      '<Response><Items><Id>x</Id><Count> 42 </Count><Ratio>-1.5e3</Ratio><Enabled>true</Enabled></Items><Single><Id>y</Id><Count></Count><Enabled>false</Enabled></Single></Response>',
    );
    expect(r.Items).toStrictEqual([{ Id: 'x', Count: 42, Ratio: -1500, Enabled: true }]);
    expect(r.Single).toStrictEqual({ Id: 'y', Enabled: false });
    expect(Object.keys(r.Single as object)).toStrictEqual(['Id', 'Enabled']);
  });

  test.each([
    ['abc', 'Response.Items[1].Count'],
    ['1.5', 'Response.Items[1].Count'],
    ['1e3', 'Response.Items[1].Count'],
    ['1.5abc', 'Response.Items[1].Count'],
    ['99999999999999999999', 'Response.Items[1].Count'],
    ['0x10', 'Response.Items[1].Count'],
  ])('integer text %j is a CiDecodeError naming the path', (text, path) => {
    const e = decodeError(`<Response><Items><Id>x</Id></Items><Items><Id>y</Id><Count>${text}</Count></Items></Response>`);
    expect(e.path).toBe(path);
    expect(e.message).toMatch(/integer/);
  });

  test.each(['1.5abc', 'NaN', 'Infinity', '1e999', '--1', '.', ''])('number text %j: a CiDecodeError, or absent when empty', (text) => {
    const xml = `<Response><Single><Id>x</Id><Ratio>${text}</Ratio></Single></Response>`;
    if (text === '') expect(decode(xml).Single).toStrictEqual({ Id: 'x' });
    else expect(decodeError(xml).path).toBe('Response.Single.Ratio');
  });

  test('booleans are exactly true or false', () => {
    for (const t of ['yes', '1', 'True', 'FALSE']) {
      expect(decodeError(`<Response><Single><Id>x</Id><Enabled>${t}</Enabled></Single></Response>`).path).toBe('Response.Single.Enabled');
    }
  });

  test('text where the spec wants an object, or elements where it wants text, is a CiDecodeError', () => {
    expect(decodeError('<Response><Single>oops</Single></Response>').path).toBe('Response.Single');
    expect(decodeError('<Response><Token><A>1</A></Token></Response>').path).toBe('Response.Token');
    expect(decodeError('<Response><Single>oops<Id>x</Id></Single></Response>').message).toMatch(/text beside child elements/);
  });

  test('empty containers are absent, never phantom entries', () => {
    expect(decode('<Response><Single/></Response>')).toStrictEqual({ Items: [] });
    expect(decode('<Response><Single>  \n </Single></Response>')).toStrictEqual({ Items: [] });
    expect(decode('<Response><Items/><Items></Items><Items><Id>a</Id></Items></Response>').Items).toStrictEqual([{ Id: 'a' }]);
    // an object whose children all decode to nothing decodes to nothing
    expect(decode('<Response><Single><Count/><Ratio> </Ratio></Single></Response>')).toStrictEqual({ Items: [] });
    expect(decode('<Response><Optional/></Response>')).toStrictEqual({ Items: [] });
  });

  test('an empty single member that repeats is still refused', () => {
    expect(decodeError('<Response><Single/><Single><Id>x</Id></Single></Response>').path).toBe('Response.Single');
    expect(decodeError('<Response><Total/><Total>1</Total></Response>').path).toBe('Response.Total');
  });

  test('entities and numeric character references decode; nothing is decoded twice', () => {
    const r = decode('<Response><Token>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#x4E2D;&#25991; &#128512; &amp;lt;</Token></Response>');
    expect(r.Token).toBe('<a> & "b" \'c\' 中文 😀 &lt;');
  });

  test.each([
    '&lol;',
    '&nbsp;',
    '&#0;',
    '&#x1;',
    '&#xFFFE;',
    '&#xD800;',
    '&#x110000;',
    '& ',
    '&amp',
    '&#;',
    '&#x;',
    '&#12a;',
    '&toString;',
    '&__proto__;',
  ])('the reference %j is refused', (ref) => {
    expect(decodeError(`<Response><Token>a${ref}b</Token></Response>`).message).toMatch(/not an XML entity|Not well-formed/);
  });

  test('characters XML forbids are refused, line ends are normalised', () => {
    expect(() => decode('<Response><Token>a\u0001b</Token></Response>')).toThrow(CiDecodeError);
    expect(decode('<Response><Token>a\r\nb\rc&#13;d</Token></Response>').Token).toBe('a\nb\nc\rd');
  });

  test('an XML declaration and a BOM are fine; a declaration anywhere else is refused', () => {
    expect(decode('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<Response><Token>t</Token></Response>').Token).toBe('t');
    expect(decode("<?xml version='1.0' encoding='utf-8' ?><Response/>")).toStrictEqual({ Items: [] });
    expect(() => decode('<Response><?xml version="1.0"?><Token>t</Token></Response>')).toThrow(CiDecodeError);
    expect(() => decode(' <?xml version="1.0"?><Response/>')).toThrow(CiDecodeError);
    expect(() => decode('<?xml version="1.0"?><?xml version="1.0"?><Response/>')).toThrow(CiDecodeError);
    expect(() => decode('<?xml nonsense?><Response/>')).toThrow(CiDecodeError);
  });

  test('aliases and other element names decode into the spec member', () => {
    expect(decode('<Response><QueueID>p1</QueueID></Response>').QueueId).toBe('p1');
    expect(decode('<Response><QueueId>p1</QueueId></Response>').QueueId).toBe('p1');
    expect(decodeError('<Response><QueueId>p1</QueueId><QueueID>p2</QueueID></Response>').message).toMatch(/more than once/);
  });

  test('a list sent flat or nested decodes to the same array', () => {
    const flat = decode('<Response><Missing>B</Missing><Missing>C</Missing></Response>');
    const nested = decode('<Response><Missing><QueueID>B</QueueID><QueueID>C</QueueID></Missing></Response>');
    expect(flat.Missing).toStrictEqual(['B', 'C']);
    expect(nested.Missing).toStrictEqual(['B', 'C']);
    expect(decode('<Response><Missing><QueueID>B</QueueID></Missing></Response>').Missing).toStrictEqual(['B']);
    expect(decode('<Response><Missing/></Response>')).toStrictEqual({ Items: [] });
    expect(decode('<Response><Missing>\n  <QueueID>B</QueueID>\n</Missing><Missing>C</Missing></Response>').Missing).toStrictEqual([
      'B',
      'C',
    ]);
    expect(() => decode('<Response><Missing><Other>B</Other></Missing></Response>')).toThrow(CiDecodeError);
    expect(() => decode('<Response><Missing>x<QueueID>B</QueueID></Missing></Response>')).toThrow(CiDecodeError);
  });

  test('unknown elements are kept as an array of occurrences, whatever their number', () => {
    const once = decode('<Response><NewField>1</NewField><NewObj><A>x</A></NewObj></Response>');
    const twice = decode('<Response><NewField>1</NewField><NewField>2</NewField><NewObj><A>x</A><A>y</A><B/></NewObj></Response>');
    expect(once.NewField).toStrictEqual(['1']);
    expect(once.NewObj).toStrictEqual([{ A: ['x'] }]);
    expect(twice.NewField).toStrictEqual(['1', '2']);
    expect(twice.NewObj).toStrictEqual([{ A: ['x', 'y'], B: [''] }]);
    expect(decode('<Response><Items><Id>a</Id><Extra/></Items></Response>').Items).toStrictEqual([{ Id: 'a', Extra: [''] }]);
  });

  test('issues: unknown elements, missing required members and numbers out of range, with paths and keys', () => {
    const found = issues(
      '<Response><Items><Id>a</Id><New>1</New></Items><Items><Count>-1</Count><New>2</New></Items><Items><Id>c</Id><Count>101</Count></Items><Total>-5</Total></Response>',
    );
    expect(found).toStrictEqual([
      { kind: 'unknown', path: 'Response.Items[0].New[0]', key: 'Response.Items[].New[]', message: 'is not in the spec' },
      { kind: 'range', path: 'Response.Items[1].Count', key: 'Response.Items[].Count', message: 'must be >= 0, got -1' },
      { kind: 'unknown', path: 'Response.Items[1].New[0]', key: 'Response.Items[].New[]', message: 'is not in the spec' },
      { kind: 'missing', path: 'Response.Items[1].Id', key: 'Response.Items[].Id', message: 'is required but missing' },
      { kind: 'range', path: 'Response.Items[2].Count', key: 'Response.Items[].Count', message: 'must be <= 100, got 101' },
      { kind: 'range', path: 'Response.Total', key: 'Response.Total', message: 'must be >= 0, got -5' },
    ]);
    // an empty container is not an item with a missing Id
    expect(issues('<Response><Items/></Response>')).toStrictEqual([]);
  });

  test('issues are bounded, and counted', () => {
    const xml = `<Response>${'<Items><Id>a</Id><New/></Items>'.repeat(500)}</Response>`;
    const result = decodeDocument(xml, Doc, { reader, maxIssues: 10 });
    expect(result.issues).toHaveLength(10);
    expect(result.issueCount).toBe(500);
    expect((result.value.Items as unknown[]).length).toBe(500);
  });

  test('hostile names pollute nothing and are kept as they are', () => {
    const r = decode(
      '<Response><__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor><prototype>p</prototype><hasOwnProperty>h</hasOwnProperty></Response>',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(r, '__proto__')?.value).toStrictEqual([{ polluted: ['yes'] }]);
    expect(r.constructor).toStrictEqual(['c']);
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
    expect(Object.keys(r)).toStrictEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'Items']);
  });

  test.each([
    '',
    '   ',
    '<Response><Items><Id>a</Id></Items>',
    '<Response><Items><Id>a</Id></Items></Responze>',
    '<Response><Items><Id>a</Items></Id></Response>',
    '<Response><Token>a</Token',
    '<Response><Token>a',
    '<Respo',
    '<',
    'not xml at all',
    '{"Response": {}}',
    '<html><body>502 Bad Gateway</body></html>',
    '<Response>a</Response><Response/>',
    '<Response/><Response/>',
    '<Response/>trailing',
    'leading<Response/>',
    '</Response>',
    '<Response></Response></Response>',
    '<Response><!-- unterminated </Response>',
    '<Response><![CDATA[ unterminated </Response>',
    '<Response><Token a="1></Token></Response>',
  ])('a broken document is a CiDecodeError, never a partial object: %j', (xml) => {
    expect(() => decode(xml)).toThrow(CiDecodeError);
  });

  test('comments, CDATA, processing instructions and attributes decode to the same value', () => {
    const plain = decode('<Response><Token>a&lt;b</Token><Items><Id>x</Id></Items></Response>');
    expect(
      decode(
        '<?xml version="1.0"?><!-- c --><Response xmlns="http://example.com/"><?pi x?><Token>a<!-- c -->&lt;<![CDATA[b]]></Token><Items a="1"><Id>x</Id></Items></Response><!-- after -->',
      ),
    ).toStrictEqual(plain);
  });

  test('a DOCTYPE or entity declaration is refused, never expanded', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><Response><Token>&b;</Token></Response>';
    expect(decodeError(bomb).message).toMatch(/DOCTYPE/);
  });

  test('too deep or too large documents fail fast; comments cannot hide nesting', () => {
    const deep = `<Response>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Response>`;
    expect(decodeError(deep).message).toMatch(/deeper than/);
    const hidden = `<Response>${'<a><!-- x -->'.repeat(100)}${'</a>'.repeat(100)}</Response>`;
    expect(decodeError(hidden).message).toMatch(/deeper than/);
    expect(() => decodeXml('<Response><a><b/></a></Response>', Doc, { reader, maxDepth: 2 })).toThrow(/deeper than 2/);
    expect(decodeXml('<Response><a><b/></a></Response>', Doc, { reader, maxDepth: 3 })).toStrictEqual({ Items: [], a: [{ b: [''] }] });
    expect(() => decodeXml(`<Response><Token>${'x'.repeat(2000)}</Token></Response>`, Doc, { reader, maxChars: 1000 })).toThrow(
      /larger than 1000/,
    );
  });

  test('the root must be the document the shape names', () => {
    expect(decodeError('<Error><Code>AccessDenied</Code></Error>').message).toMatch(/Expected a <Response> document, got <Error>/);
  });
});

describe('parseDocument', () => {
  test('reads any root without a shape: every child an array of occurrences', () => {
    expect(parseDocument('<Error><Code>AccessDenied</Code><Message>No</Message></Error>')).toStrictEqual({
      name: 'Error',
      value: { Code: ['AccessDenied'], Message: ['No'] },
    });
    expect(parseDocument('<Response/>')).toStrictEqual({ name: 'Response', value: {} });
  });
});
