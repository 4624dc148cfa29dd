/**
 * The XML rules with exact values, through both readers (the single-pass reader and the fast-xml-parser fallback):
 * each malformed document's message and position, the depth and size guards at their edges, the number and integer
 * patterns, references, line ends, the XML declaration, CDATA and attributes, unknown and nested elements, the
 * JSON form, and request-body encoding.
 */
import {
  CiDecodeError,
  CiValidationError,
  decodeDocument,
  decodeJsonDocument,
  decodeXml,
  documentShape,
  encodeXml,
  escapeXmlText,
  member,
  objectShape,
  parseDocument,
  type DecodeOptions,
} from '../src';

const Doc = documentShape(
  'Response',
  objectShape([
    member('Token', 'string'),
    member('N', 'integer', { minimum: -5, maximum: 5 }),
    member('R', 'number', { minimum: 0.5, maximum: 2.5 }),
    member('B', 'boolean'),
    member('L', 'string', { array: true }),
    member('Ids', 'string', { array: true, nestedItems: ['Id', 'ID'] }),
    member('Nums', 'integer', { array: true, nestedItems: ['N'] }),
    member('Obj', objectShape([member('A', 'string', { required: true }), member('C', 'integer', { array: true, required: true })])),
  ]),
);

function decodeError(xml: string, options: DecodeOptions = {}): CiDecodeError {
  try {
    decodeXml(xml, Doc, options);
  } catch (e) {
    expect(e).toBeInstanceOf(CiDecodeError);
    return e as CiDecodeError;
  }
  throw new Error(`expected a CiDecodeError for ${JSON.stringify(xml)}`);
}

const READERS = ['auto', 'fallback'] as const;

describe('malformed documents: the message and position of each, per reader', () => {
  // [document, the single-pass reader's message, the fallback's (undefined: the same)]
  test.each<[string, string, string | undefined]>([
    ['x<Response/>', 'Not well-formed XML: text outside the root element (line 1, column 1)', undefined],
    ['<Response/>x', 'Not well-formed XML: text outside the root element (line 1, column 12)', undefined],
    [
      '<Response/>\n<Response/>',
      'Not well-formed XML: a second root element (line 2, column 1)',
      'Not well-formed XML: a second root element (line 1, column 1)',
    ],
    [
      '</A>',
      'Not well-formed XML: </A> closes no element (line 1, column 1)',
      "Not well-formed XML: Closing tag 'A' has not been opened. (parser) (line 1, column 1)",
    ],
    [
      '<Response></A>',
      'Not well-formed XML: </A> does not close <Response> (line 1, column 11)',
      "Not well-formed XML: Expected closing tag 'Response' (opened in line 1, col 1) instead of closing tag 'A'. (parser) (line 1, column 11)",
    ],
    [
      '<Response>\n  </A>',
      'Not well-formed XML: </A> does not close <Response> (line 2, column 3)',
      "Not well-formed XML: Expected closing tag 'Response' (opened in line 1, col 1) instead of closing tag 'A'. (parser) (line 2, column 3)",
    ],
    [
      '<Response></Response',
      'Not well-formed XML: the document ends inside an end tag (line 1, column 11)',
      'Not well-formed XML: the document ends inside a tag (line 1, column 13)',
    ],
    [
      '<Response></Response x>',
      'Not well-formed XML: a malformed end tag </Response (line 1, column 11)',
      "Not well-formed XML: Closing tag 'Response' can't have attributes or invalid starting. (parser) (line 1, column 11)",
    ],
    [
      '<Response><',
      'Not well-formed XML: the document ends inside a tag (line 1, column 11)',
      'Not well-formed XML: the document ends inside a start tag (line 1, column 11)',
    ],
    [
      '<Response><1/></Response>',
      'Not well-formed XML: expected an element name after < (line 1, column 11)',
      "Not well-formed XML: Tag '1' is an invalid name. (parser) (line 1, column 13)",
    ],
    ['<Response', 'Not well-formed XML: the document ends inside a start tag (line 1, column 1)', undefined],
    ['<Response ', 'Not well-formed XML: the document ends inside a start tag (line 1, column 1)', undefined],
    [
      '<Response><Token>a</Token>',
      'Not well-formed XML: the document ends before </Response> (line 1, column 27)',
      "Not well-formed XML: Unclosed tag 'Response'. (parser) (line 1, column 1)",
    ],
    [
      '<?xml version="1.0"',
      'Not well-formed XML: the XML declaration is not closed (line 1, column 1)',
      'Not well-formed XML: the document ends inside a processing instruction (line 1, column 3)',
    ],
    ['<?xml version="2.0"?><Response/>', 'Not well-formed XML: a malformed XML declaration (line 1, column 1)', undefined],
    [
      '<?xml version="1.0"?>',
      'Not well-formed XML: no root element (line 1, column 1)',
      'Not well-formed XML: Start tag expected. (parser) (line 1, column 1)',
    ],
    ['<Response><Token>a&b;</Token></Response>', 'Not well-formed XML: "&b;" is not an XML entity or character reference', undefined],
    [
      '<Response><Token>&#xD800;</Token></Response>',
      'Not well-formed XML: "&#xD800;" is not an XML entity or character reference',
      undefined,
    ],
    ['<Response><N>1.5</N></Response>', 'Expected an integer (at Response.N)', undefined],
    ['<Response><N>1e3</N></Response>', 'Expected an integer (at Response.N)', undefined],
    ['<Response><R>1.5abc</R></Response>', 'Expected a number (at Response.R)', undefined],
    ['<Response><R>1e999</R></Response>', 'Expected a finite number (at Response.R)', undefined],
    ['<Response><B>yes</B></Response>', 'Expected true or false (at Response.B)', undefined],
    ['<Response><Token><X/></Token></Response>', 'Expected text (string), found child elements (at Response.Token)', undefined],
    ['<Other/>', 'Expected a <Response> document, got <Other>', undefined],
    [
      '<Response><Token>a</Token><Token>b</Token></Response>',
      'Element <Token> appears more than once; the spec allows one (at Response.Token)',
      undefined,
    ],
    ['<Response>text</Response>', 'Expected child elements, found text (at Response)', undefined],
    ['<Response><Token>\u0001</Token></Response>', 'Text holds a character XML 1.0 forbids (at Response.Token)', undefined],
    ['<!DOCTYPE x><Response/>', 'XML with a DOCTYPE or entity declaration is refused', undefined],
    ['<Response><!-- x', 'Not well-formed XML: the document ends inside a comment (line 1, column 15)', undefined],
    ['<Response><![CDATA[x', 'Not well-formed XML: the document ends inside a CDATA section (line 1, column 20)', undefined],
    ['<Response><?pi', 'Not well-formed XML: the document ends inside a processing instruction (line 1, column 13)', undefined],
    ['<Response a="1', 'Not well-formed XML: the document ends inside a start tag (line 1, column 1)', undefined],
    ['<Response></Response><!-- -->x', 'Not well-formed XML: text outside the root element (line 1, column 30)', undefined],
    ['<Response/><!-- c --><Response/>', 'Not well-formed XML: a second root element (line 1, column 1)', undefined],
    [
      '<?xml version="1.0"?><Response><?xml version="1.0"?></Response>',
      'Not well-formed XML: an XML declaration that is not at the start of the document (line 1, column 32)',
      undefined,
    ],
    [
      '<Response></a:b>',
      "Not well-formed XML: Expected closing tag 'Response' (opened in line 1, col 1) instead of closing tag 'a:b'. (parser) (line 1, column 11)",
      undefined,
    ],
    [
      '<Response>\r\n<Token>a</Token>\r\n</A>',
      'Not well-formed XML: </A> does not close <Response> (line 3, column 1)',
      "Not well-formed XML: Expected closing tag 'Response' (opened in line 1, col 1) instead of closing tag 'A'. (parser) (line 3, column 1)",
    ],
    [
      '﻿<Response></A>',
      'Not well-formed XML: </A> does not close <Response> (line 1, column 12)',
      "Not well-formed XML: Expected closing tag 'Response' (opened in line 1, col 1) instead of closing tag 'A'. (parser) (line 1, column 11)",
    ],
    ['<Response><N>9007199254740993</N></Response>', 'Expected an integer (at Response.N)', undefined],
    ['<Response><R>.</R></Response>', 'Expected a number (at Response.R)', undefined],
    ['<Response><N>+</N></Response>', 'Expected an integer (at Response.N)', undefined],
  ])('%j', (xml, auto, fallback) => {
    expect(decodeError(xml, { reader: 'auto' }).message).toBe(auto);
    expect(decodeError(xml, { reader: 'fallback' }).message).toBe(fallback ?? auto);
  });
});

describe.each(READERS)('guards and patterns (%s)', (reader) => {
  const decode = (xml: string, options: DecodeOptions = {}) => decodeXml(xml, Doc, { reader, ...options });

  test('depth: exactly maxDepth levels are read, one more is refused; closing tags give the levels back', () => {
    expect(decode('<Response><X><Y/></X></Response>', { maxDepth: 3 })).toStrictEqual({ X: [{ Y: [''] }] });
    expect(() => decode('<Response><X><Y/></X></Response>', { maxDepth: 2 })).toThrow(
      new CiDecodeError('XML nested deeper than 2 elements'),
    );
    expect(() => decode('<Response><X><Y></Y></X></Response>', { maxDepth: 2 })).toThrow('XML nested deeper than 2 elements');
    // many siblings at the deepest level: each closes before the next opens
    const siblings = `<Response>${'<X><Y/><Y></Y></X>'.repeat(50)}</Response>`;
    expect((decode(siblings, { maxDepth: 3 }).X as unknown[]).length).toBe(50);
    expect(decode('<Response/>', { maxDepth: 1 })).toStrictEqual({});
    expect(() => decode('<Response><Token/></Response>', { maxDepth: 1 })).toThrow('XML nested deeper than 1 elements');
    // the default is 64
    const nest = (n: number) => `<Response>${'<X>'.repeat(n - 1)}${'</X>'.repeat(n - 1)}</Response>`;
    expect(() => decode(nest(64))).not.toThrow();
    expect(() => decode(nest(65))).toThrow('XML nested deeper than 64 elements');
  });

  test('size: a body of exactly maxChars is read, one character more is refused with an excerpt of 200', () => {
    const xml = `<Response><Token>${'x'.repeat(300)}</Token></Response>`;
    expect(decode(xml, { maxChars: xml.length }).Token).toBe('x'.repeat(300));
    const err = (() => {
      try {
        decode(xml, { maxChars: xml.length - 1 });
      } catch (e) {
        return e as CiDecodeError;
      }
      throw new Error('not refused');
    })();
    expect(err.message).toBe(`The document is larger than ${xml.length - 1} characters`);
    expect(err.excerpt!.startsWith(xml.slice(0, 100))).toBe(true);
    expect(err.excerpt!.length).toBeLessThanOrEqual(240);
  });

  test('empty and non-text bodies', () => {
    for (const body of ['', ' \n\t\r', '\ufeff', '\ufeff  \n']) {
      expect(() => decode(body)).toThrow(new CiDecodeError('Expected an XML document, got an empty body'));
    }
    expect(() => decodeXml(42 as never, Doc, { reader })).toThrow(new CiDecodeError('Expected an XML document as text'));
    // text after the BOM that is not blank is read
    expect(decode('\ufeff<Response><Token>t</Token></Response>')).toStrictEqual({ Token: 't' });
  });

  test.each([
    ['1', 1],
    ['-1', -1],
    ['+2', 2],
    ['1.', 1],
    ['.5', 0.5],
    ['0.75', 0.75],
    ['1.5e0', 1.5],
    ['15E-1', 1.5],
    ['2e+0', 2],
    [' \t\n 1.25 \r\n', 1.25],
  ])('number %j is %p', (text, value) => {
    expect(decode(`<Response><R>${text}</R></Response>`).R).toBe(value);
  });

  test.each(['1.5abc', 'abc1.5', '1e', '1e+', 'e3', '1.2.3', '1,5', '0x1', '- 1', '1_0', '.', '+', '.e1', '１'])(
    'number %j is refused, naming the path',
    (text) => {
      const err = decodeError(`<Response><R>${text}</R></Response>`, { reader });
      expect([err.message, err.path, err.excerpt]).toStrictEqual(['Expected a number (at Response.R)', 'Response.R', text]);
    },
  );

  test.each([
    ['0', 0],
    ['5', 5],
    ['-5', -5],
    ['+3', 3],
    ['007', 7],
    [' 4 ', 4],
    ['9007199254740991', 9007199254740991],
  ])('integer %j is %p', (text, value) => {
    expect(decodeDocument(`<Response><N>${text}</N></Response>`, Doc, { reader }).value.N).toBe(value);
  });

  test.each(['1e3', '1.0', '1.', '.1', '3a', 'a3', '--3', '9007199254740992', '-9007199254740992', '0x10', '1 2', '١'])(
    'integer %j is refused',
    (text) => {
      const err = decodeError(`<Response><N>${text}</N></Response>`, { reader });
      expect([err.message, err.path]).toStrictEqual(['Expected an integer (at Response.N)', 'Response.N']);
    },
  );

  test('booleans: true and false, trimmed; empty numbers and booleans are absent (no undefined-valued key)', () => {
    expect(decode('<Response><B> true\n</B></Response>')).toStrictEqual({ B: true });
    expect(decode('<Response><B>false</B></Response>')).toStrictEqual({ B: false });
    const r = decode('<Response><N></N><R> </R><B/><Token/></Response>');
    expect(r).toStrictEqual({ Token: '' });
    expect(Object.keys(r)).toStrictEqual(['Token']);
  });

  test('minimum and maximum: the bounds themselves are in range; one past is an issue, the value kept', () => {
    const issues = (xml: string) => decodeDocument(xml, Doc, { reader }).issues.map((i) => [i.kind, i.path, i.message]);
    expect(issues('<Response><N>-5</N><R>0.5</R></Response>')).toStrictEqual([]);
    expect(issues('<Response><N>5</N><R>2.5</R></Response>')).toStrictEqual([]);
    expect(issues('<Response><N>-6</N></Response>')).toStrictEqual([['range', 'Response.N', 'must be >= -5, got -6']]);
    expect(issues('<Response><N>6</N></Response>')).toStrictEqual([['range', 'Response.N', 'must be <= 5, got 6']]);
    expect(issues('<Response><R>0.4</R></Response>')).toStrictEqual([['range', 'Response.R', 'must be >= 0.5, got 0.4']]);
    expect(issues('<Response><R>2.6</R></Response>')).toStrictEqual([['range', 'Response.R', 'must be <= 2.5, got 2.6']]);
    expect(decodeDocument('<Response><N>6</N></Response>', Doc, { reader }).value).toStrictEqual({ N: 6 });
  });

  test('references: the five entities, decimal and hex (lower-case x), at most 10 characters between & and ;', () => {
    expect(decode('<Response><Token>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x0010FFFF;</Token></Response>').Token).toBe(`<>&"'AB\u{10FFFF}`);
    expect(decode('<Response><Token>a&#x9;b&#xA;c&#xD;d&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;</Token></Response>').Token).toBe(
      'a\tb\nc\rd \ud7ff\ue000\ufffd\u{10000}',
    );
    for (const ref of [
      '&#X41;',
      '&#x00010FFFF;',
      '&#x8;',
      '&#x1F;',
      '&#xFFFE;',
      '&#xFFFF;',
      '&#x110000;',
      '&#xDFFF;',
      '&LT;',
      '&#-1;',
      '&#+1;',
    ]) {
      const err = decodeError(`<Response><Token>a${ref}b</Token></Response>`, { reader });
      // the part shown: 12 characters from the &, as far as the text goes
      expect(err.message).toBe(
        `Not well-formed XML: ${JSON.stringify(`${ref}b`.slice(0, 12))} is not an XML entity or character reference`,
      );
    }
    // a reference cut short by the end of the text
    expect(decodeError('<Response><Token>a&amp</Token></Response>', { reader }).message).toBe(
      'Not well-formed XML: "&amp" is not an XML entity or character reference',
    );
    // the shown part stops 12 characters after the &
    expect(decodeError('<Response><Token>&abcdefghijklmnop;</Token></Response>', { reader }).message).toBe(
      'Not well-formed XML: "&abcdefghijk" is not an XML entity or character reference',
    );
  });

  test('line ends: CR LF and a lone CR become LF in text; a CR written as a reference stays', () => {
    expect(decode('<Response><Token>a\r\nb\rc\r\r\nd&#13;&#xD;\n</Token></Response>').Token).toBe('a\nb\nc\n\nd\r\r\n');
  });

  test('the XML declaration: version 1.x, an encoding, standalone yes or no, either quotes', () => {
    for (const decl of [
      '<?xml version="1.0"?>',
      "<?xml version='1.1'?>",
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0" encoding=\'gb_2312-80.x\' standalone="yes" ?>',
      '<?xml version = "1.0"  standalone = \'no\'?>',
      '<?xml\tversion="1.0"?>',
    ]) {
      expect(decode(`${decl}<Response><Token>t</Token></Response>`).Token).toBe('t');
    }
    for (const decl of [
      '<?xml?>',
      '<?xml version="2.0"?>',
      '<?xml version="1.0\'?>',
      '<?xml version="1"?>',
      '<?xml version="1.0" standalone="maybe"?>',
      '<?xml version="1.0" encoding="8bit"?>',
      '<?xml encoding="UTF-8" version="1.0"?>',
      '<?xml version="1.0" extra="x"?>',
    ]) {
      const err = decodeError(`${decl}<Response/>`, { reader });
      expect(err.message).toBe('Not well-formed XML: a malformed XML declaration (line 1, column 1)');
    }
  });
});

describe('outside the subset: what the fallback reads', () => {
  test('CDATA is text as written (line ends normalised, nothing decoded); comments and PIs are dropped', () => {
    expect(decodeXml('<Response><Token>a<![CDATA[&amp;<x>\r\n]]>b<!-- c --><?pi x?>&amp;</Token></Response>', Doc).Token).toBe(
      'a&amp;<x>\nb&',
    );
  });

  test('attributes are ignored, a > inside a quoted value included; their references are still checked', () => {
    expect(decodeXml('<Response a=">" b=\'>\'><Token x="1">t</Token></Response>', Doc)).toStrictEqual({ Token: 't' });
    expect(decodeXml('<Response a="&amp;"><Token>t</Token></Response>', Doc)).toStrictEqual({ Token: 't' });
    expect(() => decodeXml('<Response a="&bad;"><Token>t</Token></Response>', Doc)).toThrow(
      'Not well-formed XML: "&bad;\\"" is not an XML entity or character reference',
    );
  });

  test('a comment or CDATA cannot hide depth from the guard; a self-closing tag with attributes is one level', () => {
    expect(() => decodeXml('<Response><!-- --><X><Y a="1"/></X></Response>', Doc, { maxDepth: 2 })).toThrow(
      'XML nested deeper than 2 elements',
    );
    expect(decodeXml('<Response><!-- --><X><Y a="1"/></X><X><Y a="2"/></X></Response>', Doc, { maxDepth: 3 })).toStrictEqual({
      X: [{ Y: [''] }, { Y: [''] }],
    });
    expect(decodeXml('<Response><!-- <X><X><X> --><Token><![CDATA[<X><X>]]></Token></Response>', Doc, { maxDepth: 2 })).toStrictEqual({
      Token: '<X><X>',
    });
  });

  test('a DOCTYPE inside a comment or CDATA is text, elsewhere refused (any case)', () => {
    expect(decodeXml('<Response><!-- <!DOCTYPE x> --><Token><![CDATA[<!ENTITY e "x">]]></Token></Response>', Doc).Token).toBe(
      '<!ENTITY e "x">',
    );
    for (const decl of ['<!doctype x>', '<!DocType x>', '<!ENTITY e "x">']) {
      expect(() => decodeXml(`${decl}<Response/>`, Doc)).toThrow(new CiDecodeError('XML with a DOCTYPE or entity declaration is refused'));
      expect(() => decodeXml(`<Response>${decl}</Response>`, Doc)).toThrow('XML with a DOCTYPE or entity declaration is refused');
    }
  });

  test('namespaced and non-ASCII names are read by the fallback', () => {
    expect(decodeXml('<Response><a:b>1</a:b><中>2</中></Response>', Doc)).toStrictEqual({ 'a:b': ['1'], 中: ['2'] });
  });
});

describe('the shaper', () => {
  test.each(READERS)('unknown elements nest as arrays of occurrences; text beside their children is refused (%s)', (reader) => {
    expect(decodeXml('<Response><X><Y>1</Y><Y>2</Y><Z><W/></Z></X><X>t</X></Response>', Doc, { reader })).toStrictEqual({
      X: [{ Y: ['1', '2'], Z: [{ W: [''] }] }, 't'],
    });
    const err = decodeError('<Response><X><Y>1</Y>oops</X></Response>', { reader });
    expect([err.message, err.path]).toStrictEqual(['Unexpected text beside child elements (at Response.X[0])', 'Response.X[0]']);
    // whitespace beside children is fine
    expect(decodeXml('<Response><X>\n <Y>1</Y>\n</X></Response>', Doc, { reader })).toStrictEqual({ X: [{ Y: ['1'] }] });
  });

  test.each(READERS)('nested lists: items under any of their names, flat text, numbers converted (%s)', (reader) => {
    expect(
      decodeXml('<Response><Ids><Id>a</Id><ID>b</ID></Ids><Ids>c</Ids><Nums><N>1</N><N> 2 </N></Nums><Nums>3</Nums></Response>', Doc, {
        reader,
      }),
    ).toStrictEqual({
      Ids: ['a', 'b', 'c'],
      Nums: [1, 2, 3],
    });
    expect(decodeXml('<Response><Ids>  </Ids><Nums/><Nums></Nums></Response>', Doc, { reader })).toStrictEqual({});
    const wrong = decodeError('<Response><Ids><Other>a</Other></Ids></Response>', { reader });
    expect([wrong.message, wrong.path]).toStrictEqual(['Expected <Id> items, found <Other> (at Response.Ids[0])', 'Response.Ids[0]']);
    const beside = decodeError('<Response><Ids>x<Id>a</Id></Ids></Response>', { reader });
    expect([beside.message, beside.path]).toStrictEqual(['Unexpected text beside child elements (at Response.Ids[0])', 'Response.Ids[0]']);
    const after = decodeError('<Response><Ids><Id>a</Id>x</Ids></Response>', { reader });
    expect(after.message).toBe('Unexpected text beside child elements (at Response.Ids[0])');
    const bad = decodeError('<Response><Nums><N>x</N></Nums></Response>', { reader });
    expect([bad.message, bad.path]).toStrictEqual(['Expected an integer (at Response.Nums[0].N[0])', 'Response.Nums[0].N[0]']);
    const badFlat = decodeError('<Response><Nums>1</Nums><Nums>y</Nums></Response>', { reader });
    expect(badFlat.path).toBe('Response.Nums[1]');
  });

  test.each(READERS)('an object: required members are issues (an array becomes []), text inside it is refused (%s)', (reader) => {
    const d = decodeDocument('<Response><Obj><Z>1</Z></Obj></Response>', Doc, { reader });
    expect(d.value).toStrictEqual({ Obj: { Z: ['1'], C: [] } });
    expect(d.issues).toStrictEqual([
      { kind: 'unknown', path: 'Response.Obj.Z[0]', key: 'Response.Obj.Z[]', message: 'is not in the spec' },
      { kind: 'missing', path: 'Response.Obj.A', key: 'Response.Obj.A', message: 'is required but missing' },
    ]);
    expect(d.issueCount).toBe(2);
    const text = decodeError('<Response><Obj>text</Obj></Response>', { reader });
    expect([text.message, text.path]).toStrictEqual(['Expected child elements, found text (at Response.Obj)', 'Response.Obj']);
    const beside = decodeError('<Response><Obj><A>a</A>text</Obj></Response>', { reader });
    expect(beside.message).toBe('Unexpected text beside child elements (at Response.Obj)');
    expect(decodeXml('<Response><Obj>\n\t</Obj></Response>', Doc, { reader })).toStrictEqual({});
  });

  test.each(READERS)('issues past maxIssues are counted, not kept; the first ones in document order (%s)', (reader) => {
    const d = decodeDocument('<Response><X/><Y/><Z/></Response>', Doc, { reader, maxIssues: 2 });
    expect(d.issues.map((i) => i.path)).toStrictEqual(['Response.X[0]', 'Response.Y[0]']);
    expect(d.issueCount).toBe(3);
    expect(decodeDocument('<Response><X/></Response>', Doc, { reader, maxIssues: 0 }).issues).toStrictEqual([]);
  });

  test.each(READERS)('parseDocument keeps every child as an array, any root (%s)', (reader) => {
    expect(parseDocument('<Error><Code>A</Code><Code>B</Code><Sub><X>1</X></Sub></Error>', { reader })).toStrictEqual({
      name: 'Error',
      value: { Code: ['A', 'B'], Sub: [{ X: ['1'] }] },
    });
    expect(parseDocument('<Error>text only</Error>', { reader })).toStrictEqual({ name: 'Error', value: {} });
  });
});

describe('decodeJsonDocument', () => {
  test('the members, or the members under the root name; null is an empty element; numbers and booleans are text', () => {
    const members = { Token: 'x', N: 3, B: true, L: ['a', null, 'b'], Obj: { A: 'a', C: [1, '2'] } };
    const expected = { Token: 'x', N: 3, B: true, L: ['a', '', 'b'], Obj: { A: 'a', C: [1, 2] } };
    expect(decodeJsonDocument(JSON.stringify(members), Doc).value).toStrictEqual(expected);
    expect(decodeJsonDocument(JSON.stringify({ Response: members }), Doc).value).toStrictEqual(expected);
    expect(decodeJsonDocument(`\ufeff${JSON.stringify(members)}`, Doc).value).toStrictEqual(expected);
    // the root name with another key beside it, or not an object, is a member like any other
    expect(decodeJsonDocument('{"Response":"r","Token":"t"}', Doc).value).toStrictEqual({ Response: ['r'], Token: 't' });
    expect(decodeJsonDocument('{"Response":["r"]}', Doc).value).toStrictEqual({ Response: ['r'] });
    expect(decodeJsonDocument('{"Token":null,"N":null}', Doc).value).toStrictEqual({ Token: '' });
  });

  test('refusals: not JSON, not an object, an array in an array, too deep, too large', () => {
    const message = (text: string, options: DecodeOptions = {}) => {
      try {
        decodeJsonDocument(text, Doc, options);
      } catch (e) {
        expect(e).toBeInstanceOf(CiDecodeError);
        return (e as Error).message;
      }
      return 'decoded';
    };
    expect(message('{')).toMatch(/^Not JSON: /);
    for (const v of ['[]', '"s"', '1', 'null']) expect(message(v)).toBe("Expected a JSON object (the <Response> document's members)");
    expect(message('{"L":[["a"]]}')).toBe('An array inside the array "L" has no XML form');
    expect(message('{"X":{"Y":{"Z":1}}}', { maxDepth: 3 })).toBe('XML nested deeper than 3 elements');
    expect(message('{"X":{"Y":1}}', { maxDepth: 3 })).toBe('decoded');
    expect(message('{"Token":"abc"}', { maxChars: 14 })).toBe('The document is larger than 14 characters');
    expect(message('{"Token":"abc"}', { maxChars: 15 })).toBe('decoded');
    expect(message(1 as never)).toBe('Expected a JSON document as text');
  });

  test('issues and maxIssues as for XML', () => {
    const d = decodeJsonDocument('{"X":1,"Y":2,"N":9}', Doc, { maxIssues: 1 });
    expect(d.issues).toStrictEqual([{ kind: 'unknown', path: 'Response.X[0]', key: 'Response.X[]', message: 'is not in the spec' }]);
    expect(d.issueCount).toBe(3);
  });
});

describe('encodeXml', () => {
  const Body = documentShape(
    'Request',
    objectShape([
      member('Name', 'string', { required: true }),
      member('Tags', 'string', { array: true, required: true }),
      member('Size', 'integer'),
      member('Ratio', 'number'),
      member('On', 'boolean'),
      member('Inner', objectShape([member('A', 'string', { xmlName: 'AA' }), member('B', 'integer', { array: true })])),
    ]),
  );
  const issuesOf = (value: unknown) => {
    try {
      encodeXml(value as object, Body);
    } catch (e) {
      expect(e).toBeInstanceOf(CiValidationError);
      expect((e as CiValidationError).summary).toBe('Invalid <Request> body');
      return (e as CiValidationError).issues;
    }
    return [];
  };

  test('members in spec order under their element names; arrays repeated; typed scalars; text escaped', () => {
    expect(encodeXml({ Inner: { B: [3, 4], A: `<&>"'` }, On: true, Ratio: -0.25, Size: 7, Tags: ['t1', 't2'], Name: 'n' }, Body)).toBe(
      '<Request><Name>n</Name><Tags>t1</Tags><Tags>t2</Tags><Size>7</Size><Ratio>-0.25</Ratio><On>true</On>' +
        '<Inner><AA>&lt;&amp;&gt;&quot;&apos;</AA><B>3</B><B>4</B></Inner></Request>',
    );
    // undefined and null members are left out; an empty required array writes nothing
    expect(encodeXml({ Name: 'n', Tags: [], Size: undefined, On: null, Inner: {} }, Body)).toBe(
      '<Request><Name>n</Name><Inner></Inner></Request>',
    );
  });

  test('every problem is listed with its path, nothing encoded', () => {
    expect(
      issuesOf({
        Tags: 'x',
        Size: 1.5,
        Ratio: Infinity,
        On: 'yes',
        Inner: { A: 1, B: [1, 'x'], Z: 0 },
        Extra: 1,
        Skipped: undefined,
      }),
    ).toStrictEqual([
      { path: '/Name', message: 'is required' },
      { path: '/Tags', message: 'must be an array' },
      { path: '/Size', message: 'must be an integer' },
      { path: '/Ratio', message: 'must be a finite number' },
      { path: '/On', message: 'must be a boolean' },
      { path: '/Inner/A', message: 'must be a string' },
      { path: '/Inner/B/1', message: 'must be an integer' },
      { path: '/Inner/Z', message: 'is not a member in the spec' },
      { path: '/Extra', message: 'is not a member in the spec' },
    ]);
    expect(issuesOf({ Name: 'n', Tags: [], Inner: [] })).toStrictEqual([{ path: '/Inner', message: 'must be an object' }]);
    expect(issuesOf({ Name: 'n', Tags: [], Inner: null })).toStrictEqual([]);
    expect(issuesOf(null)).toStrictEqual([{ path: '/', message: 'must be an object' }]);
    expect(issuesOf([])).toStrictEqual([{ path: '/', message: 'must be an object' }]);
    expect(issuesOf({ Name: 'n', Tags: [], Size: 2 ** 53 })).toStrictEqual([{ path: '/Size', message: 'must be an integer' }]);
    expect(issuesOf({ Name: 'n', Tags: [], Ratio: Number.NaN })).toStrictEqual([{ path: '/Ratio', message: 'must be a finite number' }]);
    expect(issuesOf({ Name: 'a\u0000b', Tags: ['\ud800'] })).toStrictEqual([
      { path: '/Name', message: 'holds a character XML 1.0 forbids' },
      { path: '/Tags/0', message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' },
    ]);
  });

  test('escapeXmlText: the five characters, forbidden characters and lone surrogates refused, pairs kept', () => {
    expect(escapeXmlText(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXmlText('\t\n\r 😀 \ufffd')).toBe('\t\n\r 😀 \ufffd');
    for (const bad of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\ufffe', '\uffff']) {
      expect(() => escapeXmlText(`a${bad}`, '/p')).toThrow(
        new CiValidationError('Cannot encode a control character in XML', [{ path: '/p', message: 'holds a character XML 1.0 forbids' }]),
      );
    }
    for (const lone of ['\ud800', 'a\udbff', '\udc00b', '\udfff\ud800']) {
      const err = (() => {
        try {
          escapeXmlText(lone, '/q');
        } catch (e) {
          return e as CiValidationError;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(CiValidationError);
      expect(err!.summary).toBe('Cannot encode a lone UTF-16 surrogate');
      expect(err!.issues).toStrictEqual([{ path: '/q', message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' }]);
    }
    expect(escapeXmlText('\ud83d\ude00')).toBe('😀');
    expect(() => escapeXmlText('\u0001')).toThrow(CiValidationError);
  });
});

describe.each(READERS)('each element starts afresh, whatever was read before at its depth (%s)', (reader) => {
  const Items = documentShape(
    'Response',
    objectShape([
      member(
        'Items',
        objectShape([
          member('Id', 'string'),
          member('Count', 'integer'),
          member('Ids', 'string', { array: true, nestedItems: ['Id'] }),
          member('Sub', objectShape([member('A', 'string')])),
        ]),
        { array: true },
      ),
      member('Ids', 'string', { array: true, nestedItems: ['Id'] }),
      member('Obj', objectShape([member('A', 'string'), member('B', 'integer')])),
    ]),
  );
  const decode = (xml: string) => decodeXml(xml, Items, { reader });

  test('an empty member of one item does not make the same member of the next a repeat', () => {
    expect(decode('<Response><Items><Id>a</Id><Count/></Items><Items><Id>b</Id><Count>1</Count></Items></Response>')).toStrictEqual({
      Items: [{ Id: 'a' }, { Id: 'b', Count: 1 }],
    });
  });

  test("nested lists of sibling items stay apart; a nested item's frame is a plain member's next", () => {
    expect(decode('<Response><Items><Ids><Id>a</Id></Ids></Items><Items><Ids><Id>b</Id><Id>c</Id></Ids></Items></Response>')).toStrictEqual(
      {
        Items: [{ Ids: ['a'] }, { Ids: ['b', 'c'] }],
      },
    );
    expect(decode('<Response><Ids><Id>a</Id></Ids><Obj><A>x</A><B>2</B></Obj></Response>')).toStrictEqual({
      Ids: ['a'],
      Obj: { A: 'x', B: 2 },
    });
  });

  test('text and children seen in one element are not carried to the next', () => {
    expect(decode('<Response><Items><Sub><A>x</A></Sub></Items><Items><Sub>  </Sub><Id>i</Id></Items></Response>')).toStrictEqual({
      Items: [{ Sub: { A: 'x' } }, { Id: 'i' }],
    });
    expect(decode('<Response><X>text</X><Obj><A>a</A></Obj></Response>')).toStrictEqual({ X: ['text'], Obj: { A: 'a' } });
    expect(decode('<Response><X><Y>1</Y></X><Obj><A>a</A></Obj><Z>z</Z></Response>')).toStrictEqual({
      X: [{ Y: ['1'] }],
      Obj: { A: 'a' },
      Z: ['z'],
    });
  });

  test('an unknown element after a known one, and the other way round, at the same depth', () => {
    expect(decode('<Response><Items><Id>a</Id><New>n</New><Count>3</Count></Items></Response>')).toStrictEqual({
      Items: [{ Id: 'a', New: ['n'], Count: 3 }],
    });
    const d = decodeDocument('<Response><Items><New>n</New></Items><Items><Id>a</Id></Items></Response>', Items, { reader });
    expect(d.value).toStrictEqual({ Items: [{ New: ['n'] }, { Id: 'a' }] });
    expect(d.issues.map((i) => i.path)).toStrictEqual(['Response.Items[0].New[0]']);
  });
});

describe('the fallback pre-scan: the XML declaration only at the very start', () => {
  test('after a BOM it is fine; after a space, in the body or in another case it is refused', () => {
    expect(decodeXml('\ufeff<?xml version="1.0"?><!-- c --><Response><Token>t</Token></Response>', Doc)).toStrictEqual({ Token: 't' });
    expect(decodeXml('<?xml version="1.0"?><!-- c --><Response><?xml-stylesheet href="a"?><Token>t</Token></Response>', Doc)).toStrictEqual(
      {
        Token: 't',
      },
    );
    for (const [xml, column] of [
      [' <?xml version="1.0"?><!-- c --><Response/>', 2],
      ['<!-- c --><?xml version="1.0"?><Response/>', 11],
      ['<Response><!-- c --><?XML version="1.0"?></Response>', 21],
      ['<Response><!-- c --><?xml?></Response>', 21],
    ] as const) {
      expect(() => decodeXml(xml, Doc)).toThrow(
        new CiDecodeError(`Not well-formed XML: an XML declaration that is not at the start of the document (line 1, column ${column})`),
      );
    }
    expect(() => decodeXml('<?xml version="1.0" oops?><!-- c --><Response/>', Doc, { reader: 'fallback' })).toThrow(
      'Not well-formed XML: a malformed XML declaration (line 1, column 1)',
    );
  });

  test('a parser error on a later line is placed by line and column', () => {
    expect(() => decodeXml('<Response>\n<!-- c -->\n  <A></B>\n</Response>', Doc)).toThrow(
      "Not well-formed XML: Expected closing tag 'A' (opened in line 3, col 3) instead of closing tag 'B'. (parser) (line 3, column 6)",
    );
  });
});
