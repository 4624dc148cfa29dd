/**
 * The animation flags shared by `jobs create` (they build `Operation.Animation`) and `templates
 * create|update` (they build the template body's `Container`, `Video`, `TimeInterval`). Values are checked
 * against the documented ranges and sent as text, as every Animation leaf travels.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AnimationInput, AnimationVideoInput } from '@cloud-infinite/client';
import { oneOf, UsageError } from '../common';
import { childOf, deleteIn, getIn, isJsonObject, setIn, type JsonObject } from '../input';

/** Output container of an animated image. */
export type AnimationFormat = AnimationInput['Container']['Format'];
/** Codec of an animated image. */
export type AnimationCodec = AnimationVideoInput['Codec'];

// Records keyed by the spec's unions: a value added to the spec but not here fails to compile.
const FORMATS: Record<AnimationFormat, true> = { gif: true, hgif: true, webp: true };
const CODECS: Record<AnimationCodec, true> = { gif: true, webp: true };
/** The codec that goes with a container when `--codec` is not given. */
const CODEC_OF: Record<AnimationFormat, AnimationCodec> = { gif: 'gif', hgif: 'gif', webp: 'webp' };

/** The animation flags, as parsed (numbers kept as the text given, once checked). */
export type AnimationFlags = {
  format?: AnimationFormat | undefined;
  codec?: AnimationCodec | undefined;
  width?: string | undefined;
  height?: string | undefined;
  fps?: string | undefined;
  framesPerSecond?: string | undefined;
  frameInterval?: string | undefined;
  keyFramesOnly?: boolean | undefined;
  quality?: string | undefined;
  start?: string | undefined;
  duration?: string | undefined;
};

const DECIMAL = /^\d+(\.\d+)?$/;

/** A parser of a decimal number in a range, returning the trimmed text (what is sent). */
function decimal(describe: string, ok: (n: number) => boolean): (value: string) => string {
  return (value) => {
    const text = value.trim();
    if (!DECIMAL.test(text) || !ok(Number(text))) throw new InvalidArgumentError(`expected ${describe}`);
    return text;
  };
}

function integer(min: number, max: number): (value: string) => string {
  return (value) => {
    const text = value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return String(n);
  };
}

/** Adds the animation flags to `cmd`. */
export function addAnimationOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'container: gif, hgif (high-quality gif) or webp').argParser(
        oneOf(Object.keys(FORMATS) as AnimationFormat[]),
      ),
    )
    .addOption(
      new Option('--codec <codec>', 'video codec: gif or webp (default: the one of --format)').argParser(
        oneOf(Object.keys(CODECS) as AnimationCodec[]),
      ),
    )
    .addOption(new Option('--width <px>', 'width, 128 to 4096 px (default: keep the aspect ratio)').argParser(integer(128, 4096)))
    .addOption(new Option('--height <px>', 'height, 128 to 4096 px (default: keep the aspect ratio)').argParser(integer(128, 4096)))
    .addOption(
      new Option('--fps <n>', 'frame rate, more than 0 and at most 60').argParser(
        decimal('a frame rate above 0, at most 60', (n) => n > 0 && n <= 60),
      ),
    )
    .addOption(
      new Option('--frames-per-second <n>', 'frames taken per second of input (AnimateFramesPerSecond; wins over the two below)').argParser(
        decimal('a number above 0', (n) => n > 0),
      ),
    )
    .addOption(
      new Option('--frame-interval <s>', 'take one frame every this many seconds (AnimateTimeIntervalOfFrame)').argParser(
        decimal('a number of seconds above 0', (n) => n > 0),
      ),
    )
    .option('--key-frames-only', 'keep only key frames (AnimateOnlyKeepKeyFrame=true)')
    .option('--no-key-frames-only', 'keep every frame (AnimateOnlyKeepKeyFrame=false)')
    .addOption(new Option('--quality <q>', 'quality, 1 to 99 (webp only)').argParser(integer(1, 99)))
    .addOption(
      new Option('--start <s>', 'start at this second of the input (default 0)').argParser(
        decimal('a number of seconds, 0 or more', (n) => n >= 0),
      ),
    )
    .addOption(
      new Option('--duration <s>', 'take this many seconds (default: to the end)').argParser(
        decimal('a number of seconds above 0', (n) => n > 0),
      ),
    );
}

/** The flags that go into `Video`, with their element names. */
const VIDEO_FLAGS = [
  ['codec', 'Codec'],
  ['width', 'Width'],
  ['height', 'Height'],
  ['fps', 'Fps'],
  ['framesPerSecond', 'AnimateFramesPerSecond'],
  ['frameInterval', 'AnimateTimeIntervalOfFrame'],
  ['quality', 'Quality'],
] as const satisfies readonly (readonly [keyof AnimationFlags, keyof AnimationVideoInput])[];

/** Whether any animation flag was given. */
export function hasAnimationFlags(flags: AnimationFlags): boolean {
  return (
    flags.format !== undefined ||
    flags.keyFramesOnly !== undefined ||
    flags.start !== undefined ||
    flags.duration !== undefined ||
    VIDEO_FLAGS.some(([flag]) => flags[flag] !== undefined)
  );
}

/**
 * `animation` (an object with `Container`, `Video`, `TimeInterval`, possibly empty) with the flags applied
 * over it. When the result has a `Video` without a `Codec`, or `--format` changes the container and no
 * `--codec` is given, the codec becomes the container's (gif for gif and hgif, webp for webp). `--format`
 * gif or hgif without `--quality` drops a `Video.Quality` (webp only) from `animation`.
 * @throws UsageError when `--quality` is given for a container other than webp.
 */
export function applyAnimationFlags(animation: JsonObject, flags: AnimationFlags): JsonObject {
  let out = setIn(animation, ['Container', 'Format'], flags.format);
  for (const [flag, element] of VIDEO_FLAGS) out = setIn(out, ['Video', element], flags[flag]);
  if (flags.keyFramesOnly !== undefined) out = setIn(out, ['Video', 'AnimateOnlyKeepKeyFrame'], String(flags.keyFramesOnly));
  out = setIn(out, ['TimeInterval', 'Start'], flags.start);
  out = setIn(out, ['TimeInterval', 'Duration'], flags.duration);

  // Quality is for webp only: a container changed to gif does not keep the quality of the webp it was
  if (flags.format !== undefined && flags.format !== 'webp' && flags.quality === undefined) out = deleteIn(out, ['Video', 'Quality']);

  const format = getIn(out, ['Container', 'Format']);
  const known = typeof format === 'string' && format in FORMATS ? (format as AnimationFormat) : undefined;
  if (known !== undefined && flags.codec === undefined && isJsonObject(out.Video)) {
    const video = childOf(out, 'Video');
    if (video.Codec === undefined || (flags.format !== undefined && video.Codec !== CODEC_OF[known]))
      out = setIn(out, ['Video', 'Codec'], CODEC_OF[known]);
  }
  if (flags.quality !== undefined && format !== 'webp') {
    throw new UsageError(`--quality applies to webp only (the container is ${typeof format === 'string' ? format : 'not set'})`);
  }
  return out;
}
