/**
 * The JSON form of a document (a JSON notification) decodes to what its XML form decodes to: the same shaper,
 * fed by the JSON's members.
 */
import { CiDecodeError, decodeDocument, decodeJsonDocument, documentShape, member, objectShape } from '../src';

const Item = objectShape([
  member('Id', 'string', { required: true }),
  member('Count', 'integer'),
  member('Names', 'string', { array: true }),
]);
const Doc = documentShape(
  'Response',
  objectShape([
    member('EventName', 'string'),
    member('Items', Item, { array: true, required: true }),
    member('Single', Item),
    member('Level', 'string'),
  ]),
);

test('a lone object is a one-item array, numbers in string members are their text, empty containers are absent', () => {
  const json = decodeJsonDocument('{"EventName":"TaskFinish","Items":{"Id":"a","Count":"3","Names":"x"},"Level":0,"Single":{}}', Doc);
  const xml = decodeDocument(
    '<Response><EventName>TaskFinish</EventName><Items><Id>a</Id><Count>3</Count><Names>x</Names></Items><Level>0</Level><Single/></Response>',
    Doc,
  );
  expect(json).toStrictEqual(xml);
  expect(json.value).toStrictEqual({ EventName: 'TaskFinish', Items: [{ Id: 'a', Count: 3, Names: ['x'] }], Level: '0' });
});

test('arrays stay arrays; a Response wrapper is accepted; unknown keys are kept as arrays and reported', () => {
  const r = decodeJsonDocument('{"Response":{"Items":[{"Id":"a"},{"Id":"b","New":{"X":"1"}}]}}', Doc);
  expect(r.value).toStrictEqual({ Items: [{ Id: 'a' }, { Id: 'b', New: [{ X: ['1'] }] }] });
  expect(r.issues.map((i) => i.path)).toStrictEqual(['Response.Items[1].New[0]']);
});

test.each([
  ['not JSON', '<Response/>'],
  ['truncated', '{"Items":[{"Id":"a"}'],
  ['an array at the top', '[1,2]'],
  ['a string at the top', '"x"'],
  ['null', 'null'],
  ['a type the shape refuses', '{"Items":{"Id":"a","Count":"many"}}'],
  ['an object where text is expected', '{"Items":{"Id":{"a":1}}}'],
  ['nested arrays', '{"Items":[[{"Id":"a"}]]}'],
  ['too deep', `{"Items":{"Id":"a","X":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}}`],
  ['a control character', '{"Level":"a\\u0001b"}'],
])('%s is a CiDecodeError', (_label, text) => {
  expect(() => decodeJsonDocument(text, Doc)).toThrow(CiDecodeError);
});

test('__proto__ keys pollute nothing', () => {
  const r = decodeJsonDocument('{"__proto__":{"polluted":"yes"},"Items":[]}', Doc);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyDescriptor(r.value, '__proto__')?.value).toStrictEqual([{ polluted: ['yes'] }]);
});

test('a body larger than maxChars is refused before it is parsed', () => {
  expect(() => decodeJsonDocument(`{"Level":"${'x'.repeat(100)}"}`, Doc, { maxChars: 50 })).toThrow(/larger than 50/);
});
