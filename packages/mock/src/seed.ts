/**
 * A deterministic generator of realistic Animation jobs: the same options (seed included) give the same jobs.
 */
import { formatCiTime } from '@cloud-infinite/runtime';
import type { MediaJob, components } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES, DEMO_BUCKET, DEMO_QUEUE_ID, DEMO_REGION } from './constants';
import type { FakeCiStore, JobState } from './store';

type Animation = components['schemas']['Animation'];
type MediaInfo = components['schemas']['MediaInfo'];
type JobOperation = components['schemas']['AnimationJobOperation'];

/** Options of {@link generateJobs} and {@link seedJobs}. */
export interface SeedOptions {
  /** Number of jobs. */
  readonly count: number;
  /** PRNG seed (an integer); default 1. */
  readonly seed?: number;
  /** Queue of every job; default {@link DEMO_QUEUE_ID}. */
  readonly queueId?: string;
  /** "Now" in milliseconds since the epoch (or a clock returning it): jobs are created before it. Default `Date.now()`. */
  readonly now?: number | (() => number);
  /** How far back creation times spread, in days; default 7. */
  readonly days?: number;
  /** Output bucket; default {@link DEMO_BUCKET}. */
  readonly bucket?: string;
  /** Output region; default {@link DEMO_REGION}. */
  readonly region?: string;
}

/** mulberry32: a small, fast, seedable PRNG returning [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(digits: number): string {
    let s = '';
    while (s.length < digits) s += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return s.slice(0, digits);
  }
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table[table.length - 1]![0];
  }
}

/** Share of each state among seeded jobs (Pause is possible in CI but not seeded). */
const STATE_WEIGHTS: ReadonlyArray<readonly [JobState, number]> = [
  ['Success', 55],
  ['Failed', 12],
  ['Cancel', 8],
  ['Running', 10],
  ['Submitted', 15],
];

/** Illustrative failure codes of a job (not a documented list). */
const FAILURES: ReadonlyArray<readonly [string, string]> = [
  ['InvalidInput', 'The input file is not a video.'],
  ['InputObjectNotExist', 'The input object does not exist.'],
  ['InvalidParameter', 'Video.Width must be within [128, 4096].'],
  ['InternalError', 'Internal error, please retry.'],
];

const pad4 = (n: number) => String(n).padStart(4, '0');

/** The input key of clip `n`: mostly `videos/clip-0042.mp4`; every 17th a key with a space and CJK characters. */
function inputKey(n: number): string {
  return n % 17 === 5 ? `uploads/2024 夏天/clip-${pad4(n)}.mov` : `videos/clip-${pad4(n)}.mp4`;
}

function inlineAnimation(rng: Rng): Animation {
  const format = rng.weighted<'gif' | 'webp' | 'hgif'>([
    ['gif', 6],
    ['webp', 3],
    ['hgif', 1],
  ]);
  const codec = format === 'webp' ? 'webp' : 'gif';
  const video: NonNullable<Animation['Video']> = {
    Codec: codec,
    Width: rng.pick(['320', '480', '640', '']),
    Height: '',
    Fps: rng.pick(['10', '12', '15', '24']),
  };
  if (rng.chance(0.3)) video.AnimateOnlyKeepKeyFrame = 'true';
  if (codec === 'webp') video.Quality = String(rng.int(60, 95));
  return {
    Container: { Format: format },
    Video: video,
    TimeInterval: { Start: String(rng.int(0, 20)), Duration: String(rng.int(2, 15)) },
  };
}

function mediaInfo(rng: Rng, format: string, width: number, fps: string, durationS: number): MediaInfo {
  const height = Math.round((width * 9) / 16 / 2) * 2;
  const webp = format === 'webp';
  const size = rng.int(200_000, 4_000_000);
  const duration = durationS.toFixed(6);
  const frames = Math.max(1, Math.round(durationS * Number(fps)));
  return {
    Format: {
      Bitrate: ((size * 8) / 1000 / durationS).toFixed(3),
      Duration: duration,
      FormatLongName: webp ? 'piped webp sequence' : 'CompuServe Graphics Interchange Format (GIF)',
      FormatName: webp ? 'webp_pipe' : 'gif',
      NumProgram: '0',
      NumStream: '1',
      Size: String(size),
      StartTime: '0.000000',
    },
    Stream: {
      Video: [
        {
          Index: '0',
          CodecName: webp ? 'webp' : 'gif',
          CodecLongName: webp ? 'WebP' : 'CompuServe GIF (Graphics Interchange Format)',
          CodecTimeBase: '1/100',
          CodecTagString: '[0][0][0][0]',
          CodecTag: '0x0000',
          Height: String(height),
          Width: String(width),
          HasBFrame: '0',
          RefFrames: '1',
          Sar: '0:1',
          Dar: '0:1',
          PixFormat: webp ? 'yuva420p' : 'bgra',
          Level: '-99',
          Fps: (frames / durationS).toFixed(6),
          AvgFps: (frames / durationS).toFixed(6),
          Timebase: '1/100',
          StartTime: '0.000000',
          Duration: duration,
          NumFrames: String(frames),
          Rotation: '0',
        },
      ],
    },
  };
}

/**
 * Generates `count` Animation jobs, newest last in generation order. Deterministic: the same options give
 * the same jobs. About 8% share the CreationTime of the previous job (to exercise JobId tie-breaking);
 * Submitted and Running jobs are recent (the last 30 minutes); every 17th input key holds a space and CJK.
 */
export function generateJobs(options: SeedOptions): MediaJob[] {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const rng = new Rng(createRandom(options.seed ?? 1));
  const nowOption = options.now ?? Date.now;
  const nowMs = Math.floor((typeof nowOption === 'function' ? nowOption() : nowOption) / 1000) * 1000;
  const spanMs = (options.days ?? 7) * 86_400_000;
  const queueId = options.queueId ?? DEMO_QUEUE_ID;
  const bucket = options.bucket ?? DEMO_BUCKET;
  const region = options.region ?? DEMO_REGION;
  const clips = Math.max(4, Math.ceil(count / 5));
  const templates = ['gif-480p-15fps', 'webp-320p-12fps', 'gif-keyframes'].map((name) => ({ id: `t1${rng.hex(32)}`, name }));
  const workflows = ['gif-on-upload', 'webp-previews'].map((name) => ({ id: `w${rng.hex(32)}`, name }));
  const time = (ms: number) => formatCiTime(new Date(ms), CI_OFFSET_MINUTES);

  const jobs: MediaJob[] = [];
  let previousCreated: number | undefined;
  for (let i = 0; i < count; i++) {
    const state = rng.weighted(STATE_WEIGHTS);
    const active = state === 'Submitted' || state === 'Running';
    let created =
      previousCreated !== undefined && rng.chance(0.08)
        ? previousCreated
        : nowMs - Math.floor(rng.next() * (active ? 1_800_000 : spanMs) / 1000) * 1000;
    if (active && nowMs - created > 1_800_000) created = nowMs - rng.int(0, 1800) * 1000;
    previousCreated = created;
    const jobId = `j${rng.hex(32)}`;
    const clip = rng.int(0, clips - 1);
    const useTemplate = rng.chance(0.4);
    const template = rng.pick(templates);
    const animation = useTemplate ? undefined : inlineAnimation(rng);
    const format = animation?.Container.Format ?? (template.name.startsWith('webp') ? 'webp' : 'gif');
    const extension = format === 'webp' ? 'webp' : 'gif';
    const outputObject = `animations/clip-${pad4(clip)}-${jobId.slice(1, 9)}.${extension}`;
    const operation: JobOperation = {
      ...(useTemplate ? { TemplateId: template.id, TemplateName: template.name } : { Animation: animation }),
      Output: { Region: region, Bucket: bucket, Object: outputObject },
      ...(rng.chance(0.2) ? { UserData: `batch-${rng.int(1, 9)}` } : {}),
      JobLevel: rng.pick(['0', '0', '0', '1', '2'] as const),
    };
    const startMs = Math.min(nowMs, created + rng.int(1, 20) * 1000);
    const endMs = Math.min(nowMs, startMs + rng.int(2, 90) * 1000);
    const ended = state === 'Success' || state === 'Failed' || state === 'Cancel';
    const failure = state === 'Failed' ? rng.pick(FAILURES) : undefined;
    if (state === 'Success') {
      const width = Number(animation?.Video?.Width || rng.pick(['320', '480', '640']));
      const durationS = Number(animation?.TimeInterval?.Duration ?? rng.int(2, 15));
      operation.MediaInfo = mediaInfo(rng, format, width, animation?.Video?.Fps ?? '15', durationS);
      operation.MediaResult = {
        OutputFile: {
          Bucket: bucket,
          Region: region,
          ObjectPrefix: '',
          ObjectName: [outputObject],
          Md5Info: [{ Md5: rng.hex(32), ObjectName: outputObject }],
        },
      };
    }
    const workflow = rng.chance(0.15) ? rng.pick(workflows) : undefined;
    const job: MediaJob = {
      Code: failure ? failure[0] : 'Success',
      Message: failure ? failure[1] : 'Success',
      JobId: jobId,
      Tag: 'Animation',
      State: state,
      Progress: state === 'Success' ? '100' : state === 'Running' ? String(rng.int(1, 99)) : '0',
      CreationTime: time(created),
      StartTime: state === 'Submitted' ? '' : time(startMs),
      EndTime: ended ? time(endMs) : '',
      QueueId: queueId,
      Input: { Object: inputKey(clip) },
      Operation: operation,
      ...(workflow
        ? { Workflow: [{ Name: `Animation_${1_700_000_000_000 + i}`, RunId: `i${rng.hex(32)}`, WorkflowId: workflow.id, WorkflowName: workflow.name }] }
        : {}),
    };
    jobs.push(job);
  }
  return jobs;
}

/** Generates jobs with {@link generateJobs} and adds them to `store`; returns them. */
export function seedJobs(store: FakeCiStore, options: SeedOptions): MediaJob[] {
  const jobs = generateJobs(options);
  for (const job of jobs) store.addJob(job);
  return jobs;
}
