/** What several behaviours share: Animation parameter checks and page-number paging. */
import type { Animation } from '@cloud-infinite/client';
import { invalidArgument } from '../errors';

const inRange = (text: string, min: number, max: number, minExclusive = false, maxExclusive = false): boolean => {
  if (!/^\d+(\.\d+)?$/.test(text)) return false;
  const n = Number(text);
  return (minExclusive ? n > min : n >= min) && (maxExclusive ? n < max : n <= max);
};

/**
 * Checks the documented ranges of Animation parameters (empty means "default" and is accepted): Width and
 * Height in [128, 4096] px, Fps in (0, 60], Quality in [1, 100), AnimateOnlyKeepKeyFrame `true|false`,
 * TimeInterval Start/Duration non-negative seconds, AnimateTimeIntervalOfFrame and AnimateFramesPerSecond
 * positive. Throws 400 `InvalidArgument` naming the member (`at`, e.g. `Operation.Animation`).
 */
export function checkAnimation(animation: Animation | undefined, at: string): void {
  if (!animation) return;
  const video = animation.Video;
  const fail = (member: string, rule: string, value: string) =>
    invalidArgument(`${at}.${member} must be ${rule}, got ${JSON.stringify(value.slice(0, 20))}.`);
  if (video) {
    for (const key of ['Width', 'Height'] as const) {
      const v = video[key];
      if (v && !(/^\d+$/.test(v) && inRange(v, 128, 4096))) throw fail(`Video.${key}`, 'an integer from 128 to 4096 (px)', v);
    }
    if (video.Fps && !inRange(video.Fps, 0, 60, true)) throw fail('Video.Fps', 'a number in (0, 60]', video.Fps);
    if (video.Quality && !inRange(video.Quality, 1, 100, false, true)) throw fail('Video.Quality', 'a number in [1, 100)', video.Quality);
    const keyFrames = video.AnimateOnlyKeepKeyFrame;
    if (keyFrames && keyFrames !== 'true' && keyFrames !== 'false') throw fail('Video.AnimateOnlyKeepKeyFrame', 'true or false', keyFrames);
    for (const key of ['AnimateTimeIntervalOfFrame', 'AnimateFramesPerSecond'] as const) {
      const v = video[key];
      if (v && !inRange(v, 0, Number.MAX_SAFE_INTEGER, true)) throw fail(`Video.${key}`, 'a positive number', v);
    }
  }
  for (const key of ['Start', 'Duration'] as const) {
    const v = animation.TimeInterval?.[key];
    if (v && !inRange(v, 0, Number.MAX_SAFE_INTEGER)) throw fail(`TimeInterval.${key}`, 'a non-negative number of seconds', v);
  }
}

/** A page of `items` by page number (from 1) and size. */
export function pageOf<T>(items: readonly T[], pageNumber: number, pageSize: number): T[] {
  return items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

/** The items of `all` with these ids (each once, in the order asked) and the ids not found. */
export function pickByIds<T>(all: readonly T[], idOf: (item: T) => string, ids: readonly string[]): { found: T[]; missing: string[] } {
  const byId = new Map(all.map((item) => [idOf(item), item]));
  const found: T[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const item = byId.get(id);
    if (item) found.push(item);
    else missing.push(id);
  }
  return { found, missing };
}
