/** Times as CI writes them: `YYYY-MM-DDTHH:MM:SS+HHMM` (offset without a colon). */
import { CiValidationError } from './errors';

/** The wire form of a CI time, e.g. `2024-05-01T08:00:00+0800`. */
export const CI_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Formats a Date as a CI time in the given UTC offset (minutes east of UTC; default 0, giving `+0000`).
 * A string is checked against {@link CI_TIME_PATTERN} and returned unchanged.
 * Throws {@link CiValidationError} on an invalid Date or a string in another format.
 */
export function formatCiTime(value: Date | string, offsetMinutes = 0, path = 'time'): string {
  if (typeof value === 'string') {
    if (!CI_TIME_PATTERN.test(value) || parseCiTime(value) === undefined) {
      throw new CiValidationError('Invalid time', [
        { path, message: `must be a Date or a string like 2024-05-01T08:00:00+0800, got ${JSON.stringify(value.slice(0, 40))}` },
      ]);
    }
    return value;
  }
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new CiValidationError('Invalid time', [{ path, message: 'must be a valid Date or a CI time string' }]);
  }
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) >= 24 * 60) {
    throw new CiValidationError('Invalid UTC offset', [{ path: 'offsetMinutes', message: 'must be whole minutes within ±24 h' }]);
  }
  const shifted = new Date(value.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** Parses a CI time string into a Date; undefined for an empty or malformed value. */
export function parseCiTime(value: string | undefined): Date | undefined {
  if (!value || !CI_TIME_PATTERN.test(value)) return undefined;
  const [y, mo, d, h, mi, s, oh, om] = [0, 5, 8, 11, 14, 17, 20, 22].map((at, i) => Number(value.slice(at, i === 0 ? 4 : at + 2)));
  // refuse impossible calendar values instead of letting Date roll them over (Feb 30 → Mar 1)
  const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59 || om! > 59) return undefined;
  const sign = value[19] === '-' ? -1 : 1;
  return new Date(utc - sign * (oh! * 60 + om!) * 60_000);
}
