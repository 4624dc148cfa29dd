/** Spec-driven XML decoding: arrays and scalar types come from the shape, never from the document. */
import { CiDecodeError, decodeXml, documentShape, member, objectShape } from '../src';

const Item = objectShape([
  member('Id', 'string', { required: true }),
  member('Count', 'integer'),
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
    member('QueueId', 'string', { aliases: ['QueueID'] }),
    member('Token', 'string'),
  ]),
);

const decode = (xml: string) => decodeXml(xml, Doc);
const decodeError = (xml: string): CiDecodeError => {
  try {
    decode(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(CiDecodeError);
    return e as CiDecodeError;
  }
  throw new Error('expected a CiDecodeError');
};

describe('decodeXml', () => {
  test('a lone element is a one-element array; several are an array; none is [] when required', () => {
    expect(decode('<Response><Items><Id>a</Id></Items></Response>').Items).toEqual([{ Id: 'a' }]);
    expect(decode('<Response><Items><Id>a</Id></Items><Items><Id>b</Id></Items></Response>').Items).toEqual([{ Id: 'a' }, { Id: 'b' }]);
    expect(decode('<Response></Response>')).toEqual({ Items: [] });
    expect(decode('<Response/>')).toEqual({ Items: [] });
    // an optional array stays absent
    expect(decode('<Response/>')).not.toHaveProperty('Optional');
  });

  test('strings stay strings, whatever they look like', () => {
    const r = decode(
      '<Response><Items><Id>0123</Id><Names>1e5</Names><Names>00000000000000000000123</Names><Names> padded </Names></Items></Response>',
    );
    expect(r.Items).toEqual([{ Id: '0123', Names: ['1e5', '00000000000000000000123', ' padded '] }]);
  });

  test('integer, number and boolean leaves are converted; an empty one is absent', () => {
    const r = decode(
      '<Response><Items><Id>x</Id><Count>42</Count><Ratio>-1.5e3</Ratio><Enabled>true</Enabled></Items><Single><Id>y</Id><Count></Count><Enabled>false</Enabled></Single></Response>',
    );
    expect(r.Items).toEqual([{ Id: 'x', Count: 42, Ratio: -1500, Enabled: true }]);
    expect(r.Single).toEqual({ Id: 'y', Enabled: false });
  });

  test('a bad number is a CiDecodeError naming the path', () => {
    const e = decodeError('<Response><Items><Id>x</Id></Items><Items><Id>y</Id><Count>abc</Count></Items></Response>');
    expect(e.path).toBe('Response.Items[1].Count');
    expect(decodeError('<Response><Single><Id>x</Id><Count>1.5</Count></Single></Response>').path).toBe('Response.Single.Count');
    expect(decodeError('<Response><Single><Id>x</Id><Count>99999999999999999999</Count></Single></Response>').message).toMatch(/integer/);
    expect(decodeError('<Response><Single><Id>x</Id><Enabled>yes</Enabled></Single></Response>').path).toBe('Response.Single.Enabled');
  });

  test('text where the spec wants an object, or elements where it wants text, is a CiDecodeError', () => {
    expect(decodeError('<Response><Single>oops</Single></Response>').path).toBe('Response.Single');
    expect(decodeError('<Response><Token><A>1</A></Token></Response>').path).toBe('Response.Token');
    // an empty element where an object is expected is an empty object
    expect(decode('<Response><Single/></Response>').Single).toEqual({});
  });

  test('entities and numeric character references decode; nothing is decoded twice', () => {
    const r = decode('<Response><Token>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#x4E2D;&#25991; &amp;lt;</Token></Response>');
    expect(r.Token).toBe('<a> & "b" \'c\' 中文 &lt;');
  });

  test('an XML declaration and a BOM are fine', () => {
    expect(decode('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<Response><Token>t</Token></Response>').Token).toBe('t');
  });

  test('aliases decode into the spec member', () => {
    expect(decode('<Response><QueueID>p1</QueueID></Response>').QueueId).toBe('p1');
  });

  test('unknown elements are kept as text or objects', () => {
    const r = decode('<Response><NewField>1</NewField><NewObj><A>x</A><A>y</A></NewObj></Response>');
    expect(r.NewField).toBe('1');
    expect(r.NewObj).toEqual({ A: ['x', 'y'] });
  });

  test('a repeated element that the spec says is single is refused', () => {
    expect(decodeError('<Response><Token>a</Token><Token>b</Token></Response>').path).toBe('Response.Token');
  });

  test('hostile names pollute nothing', () => {
    const r = decode(
      '<Response><__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor><prototype>p</prototype><hasOwnProperty>h</hasOwnProperty></Response>',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(r.constructor).toBe('c');
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
  });

  test('broken documents are CiDecodeErrors, never partial objects', () => {
    for (const xml of [
      '',
      '   ',
      '<Response><Items><Id>a</Id></Items>',
      '<Response><Items><Id>a</Id></Items></Responze>',
      '<Response><Items><Id>a</Items></Id></Response>',
      'not xml at all',
      '{"Response": {}}',
      '<html><body>502 Bad Gateway</body></html>',
      '<Response>a</Response><Response/>',
    ]) {
      expect(() => decode(xml)).toThrow(CiDecodeError);
    }
  });

  test('a DOCTYPE or entity declaration is refused, never expanded', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><Response><Token>&b;</Token></Response>';
    expect(decodeError(bomb).message).toMatch(/DOCTYPE/);
  });

  test('too deep or too large documents fail fast', () => {
    const deep = `<Response>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Response>`;
    expect(decodeError(deep).message).toMatch(/deeper than/);
    expect(() => decodeXml(`<Response><Token>${'x'.repeat(2000)}</Token></Response>`, Doc, { maxChars: 1000 })).toThrow(/larger than 1000/);
  });
});
