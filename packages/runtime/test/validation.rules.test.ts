/** The validateResponses modes and the shape builders, with exact values. */
import {
  CiValidationError,
  documentShape,
  member,
  objectShape,
  ResponseChecker,
  DEFAULT_VALIDATION_MODE,
  MAX_WARNINGS_PER_CLIENT,
} from '../src';
import type { DecodedDocument, DecodeIssue } from '../src';

const issue = (kind: DecodeIssue['kind'], n = 0): DecodeIssue => ({
  kind,
  path: `Response.Items[${n}].F${kind}`,
  key: `Response.Items[].F${kind}`,
  message: kind === 'unknown' ? 'is not in the spec' : kind === 'missing' ? 'is required but missing' : 'must be >= 0, got -1',
});
const doc = (issues: DecodeIssue[], issueCount = issues.length): DecodedDocument => ({ value: {}, issues, issueCount });

function logger() {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => void lines.push(m) } };
}

describe('ResponseChecker', () => {
  test('lenient (the default) warns about missing and range issues, not unknown ones, each line once', () => {
    expect(DEFAULT_VALIDATION_MODE).toBe('lenient');
    const { lines, log } = logger();
    const c = new ResponseChecker(undefined, log);
    c.check('Op', doc([issue('unknown'), issue('missing'), issue('range'), issue('missing', 1)]));
    c.check('Op', doc([issue('missing')]));
    expect(lines).toStrictEqual([
      '[cloud-infinite] Op response does not match the spec: Response.Items[].Fmissing is required but missing',
      '[cloud-infinite] Op response does not match the spec: Response.Items[].Frange must be >= 0, got -1',
    ]);
    // another operation is another line
    c.check('Other', doc([issue('missing')]));
    expect(lines).toHaveLength(3);
  });

  test('warn also warns about unknown elements; off says nothing', () => {
    const warn = logger();
    new ResponseChecker('warn', warn.log).check('Op', doc([issue('unknown'), issue('range')]));
    expect(warn.lines).toStrictEqual([
      '[cloud-infinite] Op response does not match the spec: Response.Items[].Funknown is not in the spec',
      '[cloud-infinite] Op response does not match the spec: Response.Items[].Frange must be >= 0, got -1',
    ]);
    const off = logger();
    const quiet = new ResponseChecker('off', off.log);
    quiet.check('Op', doc([issue('unknown'), issue('missing'), issue('range')]));
    expect(off.lines).toStrictEqual([]);
  });

  test('strict throws a CiValidationError listing the issues kept and counting them all', () => {
    const c = new ResponseChecker('strict', logger().log);
    const err = (() => {
      try {
        c.check('Op', doc([issue('unknown'), issue('range')], 5));
      } catch (e) {
        return e as CiValidationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err!.summary).toBe('Op response does not match the spec (5 issues, the first 2 listed)');
    expect(err!.issues).toStrictEqual([
      { path: 'Response.Items[0].Funknown', message: 'is not in the spec' },
      { path: 'Response.Items[0].Frange', message: 'must be >= 0, got -1' },
    ]);
    expect(() => c.check('Op', doc([issue('missing')]))).toThrow(
      'Op response does not match the spec (1 issue): Response.Items[0].Fmissing is required but missing',
    );
    expect(() => c.check('Op', doc([issue('missing'), issue('range')]))).toThrow(/^Op response does not match the spec \(2 issues\): /);
    // no issue: nothing thrown, in any mode
    expect(() => c.check('Op', doc([]))).not.toThrow();
  });

  test(`at most ${MAX_WARNINGS_PER_CLIENT} distinct warnings by default, then one suppressed line, then nothing`, () => {
    const { lines, log } = logger();
    const c = new ResponseChecker('warn', log, 2);
    for (let i = 0; i < 5; i++) c.check('Op', doc([{ ...issue('unknown'), key: `K${i}` }]));
    expect(lines).toStrictEqual([
      '[cloud-infinite] Op response does not match the spec: K0 is not in the spec',
      '[cloud-infinite] Op response does not match the spec: K1 is not in the spec',
      '[cloud-infinite] 2 distinct response warnings logged; further ones are suppressed',
    ]);
    // a line already said is not said again, and does not count
    const again = logger();
    const d = new ResponseChecker('warn', again.log, 2);
    for (let i = 0; i < 3; i++) d.check('Op', doc([{ ...issue('unknown'), key: 'same' }]));
    d.check('Op', doc([{ ...issue('unknown'), key: 'second' }]));
    expect(again.lines).toHaveLength(2);
    expect(MAX_WARNINGS_PER_CLIENT).toBe(100);
    const many = logger();
    const e = new ResponseChecker('warn', many.log);
    for (let i = 0; i < 150; i++) e.check('Op', doc([{ ...issue('unknown'), key: `K${i}` }]));
    expect(many.lines).toHaveLength(101);
    expect(many.lines[100]).toBe('[cloud-infinite] 100 distinct response warnings logged; further ones are suppressed');
  });

  test('the default logger is console', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new ResponseChecker().check('Op', doc([issue('missing')]));
      expect(spy).toHaveBeenCalledWith(
        '[cloud-infinite] Op response does not match the spec: Response.Items[].Fmissing is required but missing',
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe('shape builders', () => {
  test('member: defaults, and optional parts only when given', () => {
    expect(member('QueueId', 'string')).toStrictEqual({
      key: 'QueueId',
      xmlName: 'QueueId',
      array: false,
      required: false,
      shape: 'string',
      aliases: [],
    });
    expect(
      member('Ids', 'string', { array: true, required: true, xmlName: 'ID', aliases: ['Id'], nestedItems: ['X'], minimum: 0, maximum: 9 }),
    ).toStrictEqual({
      key: 'Ids',
      xmlName: 'ID',
      array: true,
      required: true,
      shape: 'string',
      aliases: ['Id'],
      nestedItems: ['X'],
      minimum: 0,
      maximum: 9,
    });
    expect(member('N', 'integer', { minimum: 0 })).not.toHaveProperty('maximum');
    expect(member('N', 'integer', { maximum: 0 })).not.toHaveProperty('minimum');
  });

  test.each([
    [{ nestedItems: ['X'] }, 'string'],
    [{ array: true, nestedItems: [] }, 'string'],
    [{ array: true, nestedItems: ['X'] }, objectShape([])],
  ] as const)('nestedItems needs an array of scalars and a name: %j', (options, shape) => {
    expect(() => member('L', shape, options)).toThrow(
      new TypeError('member L: nestedItems needs an array of scalars and at least one name'),
    );
  });

  test('objectShape: elements by xmlName, aliases and key; keys of Object.prototype refused', () => {
    const a = member('QueueId', 'string', { xmlName: 'QueueID', aliases: ['Queue'] });
    const b = member('Name', 'string');
    const shape = objectShape([a, b]);
    expect(shape.type).toBe('object');
    expect(shape.members).toStrictEqual([a, b]);
    expect(Object.getPrototypeOf(shape.elements)).toBeNull();
    expect(Object.keys(shape.elements).sort()).toStrictEqual(['Name', 'Queue', 'QueueID', 'QueueId']);
    expect(shape.elements.QueueId).toBe(a);
    expect(shape.elements.Queue).toBe(a);
    expect(shape.elements.Name).toBe(b);
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => objectShape([member(key, 'string')])).toThrow(
        new TypeError(`member ${key}: a key of Object.prototype cannot be a member key`),
      );
    }
    // an element named like another member's key keeps that member
    const c = objectShape([member('A', 'string', { xmlName: 'B' }), member('B', 'string', { xmlName: 'C' })]);
    expect(c.elements.B!.key).toBe('A');
    expect(c.elements.A!.key).toBe('A');
    expect(c.elements.C!.key).toBe('B');
    expect(documentShape('Root', shape)).toStrictEqual({ root: 'Root', shape });
  });
});
