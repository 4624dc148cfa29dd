/** CI times: `YYYY-MM-DDTHH:MM:SS+HHMM`, offset without a colon. */
import { CiValidationError, formatCiTime, parseCiTime } from '../src';

describe('formatCiTime', () => {
  test('formats a Date in the given offset, +0800 and negative ones included', () => {
    const d = new Date(Date.UTC(2024, 4, 1, 0, 0, 0));
    expect(formatCiTime(d, 480)).toBe('2024-05-01T08:00:00+0800');
    expect(formatCiTime(d)).toBe('2024-05-01T00:00:00+0000');
    expect(formatCiTime(d, -90)).toBe('2024-04-30T22:30:00-0130');
  });

  test('passes a wire string through and refuses other formats and impossible values', () => {
    expect(formatCiTime('2024-05-01T08:00:00+0800')).toBe('2024-05-01T08:00:00+0800');
    for (const bad of [
      '2024-05-01T08:00:00+08:00',
      '2024-05-01 08:00:00',
      '2024-02-30T08:00:00+0800',
      '2024-05-01T25:00:00+0800',
      '2024-05-01T08:61:00+0800',
      'yesterday',
    ]) {
      expect(() => formatCiTime(bad)).toThrow(CiValidationError);
    }
    expect(() => formatCiTime(new Date(NaN))).toThrow(CiValidationError);
  });
});

describe('parseCiTime', () => {
  test('parses the offset form; returns undefined for empty or impossible values', () => {
    expect(parseCiTime('2024-05-01T08:00:00+0800')!.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseCiTime('2024-05-01T08:00:00-0130')!.toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(parseCiTime('')).toBeUndefined();
    expect(parseCiTime('2024-02-30T08:00:00+0800')).toBeUndefined();
    expect(parseCiTime('2023-02-29T08:00:00+0800')).toBeUndefined();
    expect(parseCiTime('2024-02-29T08:00:00+0800')).toBeDefined();
  });
});
