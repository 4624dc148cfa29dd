import { CiAbortError, CiDecodeError, CiValidationError } from '@cloud-infinite/client';
import { displayWidth, parseTime, renderTable, reportError, sanitize, type CliIo, type Column } from '../src';
import { StreamingTable } from '../src/table';
import { CommandFailure, UsageError } from '../src/common';
import { applyAnimationFlags } from '../src/commands/animation';
import { deleteIn, pickKnown, setIn } from '../src/input';
import { shapes } from '@cloud-infinite/client';

function capture(): { io: CliIo; err: () => string } {
  let err = '';
  return { io: { stdout: () => undefined, stderr: (s) => (err += s), env: {} }, err: () => err };
}

describe('reportError', () => {
  it('prints a validation error with one line per issue, exit 1', () => {
    const { io, err } = capture();
    const code = reportError(
      new CiValidationError('Invalid DescribeMediaJobs input', [
        { path: '/size', message: 'must be <= 100' },
        { path: '/states/0', message: 'must be equal to one of the allowed values' },
      ]),
      io,
    );
    expect(code).toBe(1);
    expect(err()).toBe(
      'error: Invalid DescribeMediaJobs input\n  /size: must be <= 100\n  /states/0: must be equal to one of the allowed values\n',
    );
  });

  it('prints the message of other SDK errors, exit 1', () => {
    const { io, err } = capture();
    expect(reportError(new CiDecodeError('Not XML', { path: 'Response' }), io)).toBe(1);
    expect(err()).toBe('error: Not XML (at Response)\n');
  });

  it('usage errors exit 2; anything else exits 1', () => {
    const a = capture();
    expect(reportError(new UsageError('bad'), a.io)).toBe(2);
    expect(a.err()).toBe('error: bad\n');
    const b = capture();
    expect(reportError(new Error('boom\u001b[2J'), b.io)).toBe(1);
    expect(b.err()).toBe('error: boom\\x1b[2J\n');
  });
});

describe('reportError: interrupted and failed commands', () => {
  it('an abort (Ctrl-C) exits 130', () => {
    const { io, err } = capture();
    expect(reportError(new CiAbortError('The request was aborted'), io)).toBe(130);
    expect(err()).toBe('error: The request was aborted (interrupted)\n');
  });

  it('a failed command exits 1 with its message', () => {
    const { io, err } = capture();
    expect(reportError(new CommandFailure('no such job: j1'), io)).toBe(1);
    expect(err()).toBe('error: no such job: j1\n');
  });
});

describe('bodies', () => {
  it('setIn / deleteIn copy along the path and never mutate', () => {
    const base = { Operation: { Output: { Object: 'a' }, TemplateId: 't' } };
    const next = setIn(base, ['Operation', 'Output', 'Bucket'], 'b');
    expect(next).toEqual({ Operation: { Output: { Object: 'a', Bucket: 'b' }, TemplateId: 't' } });
    expect(base).toEqual({ Operation: { Output: { Object: 'a' }, TemplateId: 't' } });
    expect(setIn(base, ['X'], undefined)).toBe(base);
    expect(setIn({ Operation: 'text' }, ['Operation', 'TemplateId'], 't')).toEqual({ Operation: { TemplateId: 't' } });
    expect(deleteIn(base, ['Operation', 'TemplateId'])).toEqual({ Operation: { Output: { Object: 'a' } } });
    expect(deleteIn(base, ['Nope', 'x'])).toBe(base);
  });

  it('pickKnown keeps what the shape knows, without empty values', () => {
    const tpl = {
      Container: { Format: 'gif' },
      Video: { Codec: 'gif', Height: '', Future: 'x' },
      TimeInterval: { Start: '', Duration: '' },
      Extra: {},
    };
    expect(pickKnown(tpl, shapes.AnimationShape)).toEqual({ Container: { Format: 'gif' }, Video: { Codec: 'gif' } });
    expect(pickKnown('text', shapes.AnimationShape)).toBeUndefined();
    expect(pickKnown({ Video: { Height: '' } }, shapes.AnimationShape)).toBeUndefined();
  });

  it('applyAnimationFlags: codec from the format, quality only for webp', () => {
    expect(applyAnimationFlags({}, { format: 'hgif', width: '480' })).toEqual({
      Container: { Format: 'hgif' },
      Video: { Width: '480', Codec: 'gif' },
    });
    expect(applyAnimationFlags({}, { format: 'webp' })).toEqual({ Container: { Format: 'webp' } });
    expect(applyAnimationFlags({ Container: { Format: 'webp' }, Video: { Codec: 'webp', Quality: '80' } }, { format: 'gif' })).toEqual({
      Container: { Format: 'gif' },
      Video: { Codec: 'gif' },
    });
    expect(applyAnimationFlags({ Container: { Format: 'gif' }, Video: { Codec: 'webp' } }, { fps: '10' })).toEqual({
      Container: { Format: 'gif' },
      Video: { Codec: 'webp', Fps: '10' }, // no --format: the codec given is kept (the service judges it)
    });
    expect(() => applyAnimationFlags({}, { quality: '50' })).toThrow('--quality applies to webp only (the container is not set)');
  });
});

describe('parseTime', () => {
  it('keeps the wire form as a string', () => {
    expect(parseTime('2024-05-01T08:00:00+0800')).toBe('2024-05-01T08:00:00+0800');
    expect(parseTime(' 2024-05-01T08:00:00-0330 ')).toBe('2024-05-01T08:00:00-0330');
  });

  it('turns ISO-8601 into a Date', () => {
    expect(parseTime('2024-05-01T00:00:00Z')).toEqual(new Date('2024-05-01T00:00:00Z'));
    expect(parseTime('2024-05-01T08:00:00.5+08:00')).toEqual(new Date('2024-05-01T00:00:00.500Z'));
    expect(parseTime('2024-05-01')).toEqual(new Date('2024-05-01T00:00:00Z'));
  });

  it.each(['', 'now', '5', '1714550400', '2024-5-1', '2024-05-01T08:00:00+08'])('refuses %j', (value) => {
    expect(() => parseTime(value)).toThrow(/expected a time like/);
  });

  it.each([
    ['2024-02-30', 'there is no such date: 2024-02-30 (February 2024 has 29 days)'],
    ['2023-02-29T00:00:00Z', 'there is no such date: 2023-02-29 (February 2023 has 28 days)'],
    ['2024-04-31T08:00:00+0800', 'there is no such date: 2024-04-31 (April 2024 has 30 days)'],
    ['2024-13-01', 'there is no such date: 2024-13-01 (no month 13; months are 01 to 12)'],
    ['2024-05-00', 'there is no such date: 2024-05-00 (May 2024 has 31 days)'],
    ['2024-05-01T24:00:00Z', 'there is no such time: 24:00:00 (hours 00 to 23, minutes and seconds 00 to 59)'],
    ['2024-05-01T08:60', 'there is no such time: 08:60 (hours 00 to 23, minutes and seconds 00 to 59)'],
  ])('says what does not exist in %j', (value, message) => {
    expect(() => parseTime(value)).toThrow(message);
  });

  it('knows leap years, also before 100 and at century ends', () => {
    expect(parseTime('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parseTime('2000-02-29T00:00:00+0800')).toBe('2000-02-29T00:00:00+0800');
    expect(() => parseTime('1900-02-29')).toThrow('February 1900 has 28 days');
    expect(() => parseTime('0004-02-29T00:00:00+0800')).not.toThrow();
    expect(() => parseTime('0003-02-29T00:00:00+0800')).toThrow('February 0003 has 28 days');
  });
});

describe('tables', () => {
  interface Row {
    a: string;
    b?: string;
  }
  const columns: Column<Row>[] = [
    { header: 'A', cell: (r) => r.a },
    { header: 'B', cell: (r) => r.b, optional: true, maxWidth: 5 },
  ];

  it('pads to the widest cell, drops empty optional columns, truncates to maxWidth', () => {
    expect(renderTable(columns, [{ a: 'x' }, { a: 'long' }])).toBe('A\nx\nlong\n');
    expect(renderTable(columns, [{ a: 'x', b: 'abcdefgh' }, { a: 'long' }])).toBe('A     B\nx     abcd…\nlong  -\n');
  });

  it('a streaming table keeps every column and the widths of its first part', () => {
    const table = new StreamingTable(columns);
    expect(table.render([{ a: 'xy' }])).toBe('A   B\nxy  -\n');
    // the later part's longer A pushes its own line only; B keeps its cut to maxWidth
    expect(table.render([{ a: 'z', b: 'abcdefgh' }, { a: 'longer' }])).toBe('A   B\nz   abcd…\nlonger  -\n');
    expect(table.render([])).toBe('A   B\n');
    // a streamWidth reserves room the first part does not need
    const wide = new StreamingTable<Row>([{ ...columns[0]!, streamWidth: 4 }, columns[1]!]);
    expect(wide.render([{ a: 'x' }])).toBe('A     B\nx     -\n');
    expect(wide.render([{ a: 'four', b: 'b' }])).toBe('A     B\nfour  b\n');
  });

  it('measures wide and combining characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('视频')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('escapes control and bidi characters', () => {
    expect(sanitize('a\nb\tc\u001b[0m\u202e')).toBe('a\\x0ab\\x09c\\x1b[0m\\u202e');
    expect(sanitize('普通 text')).toBe('普通 text');
  });
});
