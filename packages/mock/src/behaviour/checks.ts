/** What several routes share: query-parameter parsing, request bodies, Animation parameter checks, paging. */
import { CiDecodeError, decodeXml, toIssues, type DocumentShape, type ValidateFunction } from '@cloud-infinite/runtime';
import type { Animation } from '@cloud-infinite/client';
import { invalidArgument, invalidContent, missingContent } from '../errors';
import type { RouteContext } from '../router';

/** Refuses a query parameter that is not one of `allowed` (stricter than CI, to catch misspelt names). */
export function onlyParams(ctx: RouteContext, operationId: string, allowed: readonly string[]): void {
  for (const name of Object.keys(ctx.request.query)) {
    if (!allowed.includes(name)) {
      const expected = allowed.length ? `expected one of ${allowed.join(', ')}` : 'it takes none';
      throw invalidArgument(`The parameter ${name} is not a parameter of ${operationId}; ${expected}.`);
    }
  }
}

/** An integer query parameter within [min, max], or `fallback` when absent. Throws 400 `InvalidArgument`. */
export function integerParam(ctx: RouteContext, name: string, min: number, max: number, fallback: number): number {
  const text = ctx.request.query[name];
  if (text === undefined) return fallback;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw invalidArgument(`The parameter ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 20))}.`);
  }
  return value;
}

/** One of `values`, or undefined when absent. Throws 400 `InvalidArgument`. */
export function enumParam<T extends string>(ctx: RouteContext, name: string, values: readonly T[]): T | undefined {
  const text = ctx.request.query[name];
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) {
    throw invalidArgument(`The parameter ${name} must be one of ${values.join(', ')}, got ${JSON.stringify(text.slice(0, 40))}.`);
  }
  return text as T;
}

/** A comma list of non-empty items (at most `max`), or undefined when absent. Throws 400 `InvalidArgument`. */
export function listParam(text: string | undefined, name: string, max = Number.POSITIVE_INFINITY): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',');
  if (items.some((item) => item === ''))
    throw invalidArgument(`The parameter ${name} must be a comma list of non-empty ids, got ${JSON.stringify(text.slice(0, 80))}.`);
  if (items.length > max) throw invalidArgument(`The parameter ${name} takes at most ${max} ids, got ${items.length}.`);
  return items;
}

/**
 * Decodes the request body with the spec's request document and validates it (with the path parameters, as
 * the client's input validator expects them). Throws 400:
 * - `MissingContent`: no body;
 * - `InvalidContent`: not a well-formed document with the expected root;
 * - `InvalidArgument`: a required member missing, a value outside its enum, an element the spec does not know.
 */
export function readBody<T>(
  ctx: RouteContext,
  doc: DocumentShape,
  validate: ValidateFunction | undefined,
  pathParams: Readonly<Record<string, string>> = {},
): T {
  const text = ctx.request.body;
  if (text.trim() === '') throw missingContent(`The request has no body; expected a <${doc.root}> XML document.`);
  let body: Record<string, unknown>;
  try {
    body = decodeXml(text, doc, { maxChars: 1024 * 1024 });
  } catch (err) {
    if (err instanceof CiDecodeError) throw invalidContent(`The request body is not a valid <${doc.root}> document: ${err.message}`);
    throw err;
  }
  if (validate && !validate({ ...pathParams, ...body })) {
    const issues = toIssues(validate)
      .map((i) => {
        const required = /^must have required property '(.+)'$/.exec(i.message);
        return required ? `${i.path}/${required[1]} is required` : `${i.path || '/'} ${i.message}`;
      })
      .join('; ');
    throw invalidArgument(`The request body is invalid: ${issues}.`);
  }
  return body as T;
}

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
