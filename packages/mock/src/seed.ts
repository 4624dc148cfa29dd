/**
 * A deterministic generator of realistic Animation jobs: the same options (seed included) give the same jobs.
 */
import { createHash } from 'node:crypto';
import { formatCiTime } from '@cloud-infinite/runtime';
import type { Animation, MediaInfo, MediaJob, MediaJobOperation as JobOperation, MediaQueue, MediaResult } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES, DEMO_BUCKET, DEMO_QUEUE_ID, DEMO_REGION } from './constants';
import type { FakeCiStore, JobState, StoredTemplate } from './store';

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

/** Helpers over a PRNG (internal to the package). */
export class Rng {
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
    while (s.length < digits)
      s += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, '0');
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

/**
 * Plausible MediaInfo of an animated image: `width` in px, `fps` as text (frames per second), `durationS` in
 * seconds.
 */
export function mediaInfo(rng: Rng, format: string, width: number, fps: string, durationS: number): MediaInfo {
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
          // what the service reports for an animated image (API 1045/49513; Go MediaInfo.Stream.Video)
          ColorPrimaries: 'unknown',
          ColorRange: 'unknown',
          ColorTransfer: 'unknown',
          FieldOrder: 'progressive',
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

/** What {@link generateSeedData} makes: jobs, and the templates their `TemplateId`s name. */
export interface SeedData {
  readonly jobs: MediaJob[];
  /** The three Custom templates seeded jobs use (`gif-480p-15fps`, `webp-320p-12fps`, `gif-keyframes`). */
  readonly templates: StoredTemplate[];
}

/** The parameters of the seeded templates, by name. */
const TEMPLATE_PARAMETERS: Readonly<Record<string, Animation>> = {
  'gif-480p-15fps': { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '480', Height: '', Fps: '15' } },
  'webp-320p-12fps': { Container: { Format: 'webp' }, Video: { Codec: 'webp', Width: '320', Height: '', Fps: '12', Quality: '80' } },
  'gif-keyframes': { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '', Height: '', AnimateOnlyKeepKeyFrame: 'true' } },
};

/**
 * Generates `count` Animation jobs, newest last in generation order. Deterministic: the same options give
 * the same jobs. About 8% share the CreationTime of the previous job (to exercise JobId tie-breaking);
 * Submitted and Running jobs are recent (the last 30 minutes); every 17th input key holds a space and CJK.
 */
export function generateJobs(options: SeedOptions): MediaJob[] {
  return generateSeedData(options).jobs;
}

/**
 * {@link generateJobs}, with the three Custom templates the jobs' `TemplateId`s refer to (created a day before
 * the oldest possible job).
 */
export function generateSeedData(options: SeedOptions): SeedData {
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
  const templates = Object.keys(TEMPLATE_PARAMETERS).map((name) => ({ id: `t1${rng.hex(32)}`, name }));
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
        : nowMs - Math.floor((rng.next() * (active ? 1_800_000 : spanMs)) / 1000) * 1000;
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
      // as the service answers it (API 1045/49513): the input's bucket and region; a workflow adds the object's headers
      Input: {
        BucketId: bucket,
        Object: inputKey(clip),
        Region: region,
        ...(workflow ? { CosHeaders: [{ Key: 'Content-Type', Value: 'video/mp4' }] } : {}),
      },
      Operation: operation,
      ...(workflow
        ? {
            Workflow: [
              {
                Name: `Animation_${1_700_000_000_000 + i}`,
                RunId: `i${rng.hex(32)}`,
                WorkflowId: workflow.id,
                WorkflowName: workflow.name,
              },
            ],
          }
        : {}),
    };
    jobs.push(job);
  }
  const templateTime = time(nowMs - spanMs - 86_400_000);
  return {
    jobs,
    templates: templates.map(({ id, name }) => ({
      TemplateId: id,
      Name: name,
      Tag: 'Animation',
      Category: 'Custom',
      BucketId: bucket,
      CreateTime: templateTime,
      UpdateTime: templateTime,
      TransTpl: structuredClone(TEMPLATE_PARAMETERS[name]!),
    })),
  };
}

/**
 * Generates jobs with {@link generateSeedData} and adds them to `store`, with the templates they refer to
 * (when `count` > 0 and a template of that id is not stored yet); returns the jobs.
 */
export function seedJobs(store: FakeCiStore, options: SeedOptions): MediaJob[] {
  const { jobs, templates } = generateSeedData(options);
  if (jobs.length > 0) for (const t of templates) if (!store.getTemplate(t.TemplateId)) store.addTemplate(t);
  for (const job of jobs) store.addJob(job);
  return jobs;
}

/** The result of a successful job: `MediaResult.OutputFile` and `MediaInfo` for its output. */
export interface JobResult {
  readonly MediaResult: MediaResult;
  readonly MediaInfo: MediaInfo;
}

/**
 * The `MediaResult` and `MediaInfo` of a job that produced `outputObject` (its `Output.Object` with `${ext}`
 * replaced) with the given parameters (defaults: gif, 480 px wide, 15 fps, 5 s long).
 */
export function jobResult(
  rng: Rng,
  animation: Animation | undefined,
  output: { readonly Bucket: string; readonly Region: string; readonly Object: string },
): JobResult {
  const format = animation?.Container.Format ?? 'gif';
  const extension = format === 'webp' ? 'webp' : 'gif';
  const object = output.Object.replace(/\$\{ext\}/g, extension);
  const width = Number(animation?.Video?.Width) || 480;
  const fps = animation?.Video?.Fps || animation?.Video?.AnimateFramesPerSecond || '15';
  const durationS = Number(animation?.TimeInterval?.Duration) || 5;
  return {
    MediaInfo: mediaInfo(rng, format, Math.min(4096, Math.max(128, width)), Number(fps) > 0 ? fps : '15', durationS),
    MediaResult: {
      OutputFile: {
        Bucket: output.Bucket,
        Region: output.Region,
        ObjectPrefix: '',
        ObjectName: [object],
        Md5Info: [{ Md5: rng.hex(32), ObjectName: object }],
      },
    },
  };
}

/** Options of {@link generateQueues}. */
export interface QueueSeedOptions {
  /** Number of queues. */
  readonly count: number;
  /** PRNG seed; default 1. */
  readonly seed?: number;
  /** "Now" in milliseconds since the epoch: queues are created 30 to 60 days before it. Default `Date.now()`. */
  readonly now?: number;
  /** `BucketId` of the queues; default {@link DEMO_BUCKET}. */
  readonly bucket?: string;
}

const QUEUE_NAMES = ['webp-previews', 'backfill', 'priority', 'nightly', 'uploads'];

/** A queue's default notifications: off. */
export const DEFAULT_NOTIFY_CONFIG = { State: 'Off', Url: '', Type: 'Url', Event: 'TaskFinish', ResultFormat: 'XML' } as const;

/** A queue as the service answers it: Active, `MaxSize` 10000, `MaxConcurrent` 10, notifications off. */
export function makeQueue(init: {
  readonly queueId: string;
  readonly name: string;
  readonly createdMs: number;
  readonly bucket: string;
  readonly state?: 'Active' | 'Paused';
  readonly category?: string;
}): MediaQueue {
  const created = formatCiTime(new Date(init.createdMs), CI_OFFSET_MINUTES);
  return {
    QueueId: init.queueId,
    Name: init.name,
    State: init.state ?? 'Active',
    MaxSize: 10000,
    MaxConcurrent: 10,
    Category: init.category ?? 'Transcoding',
    BucketId: init.bucket,
    CreateTime: created,
    UpdateTime: created,
    NotifyConfig: { ...DEFAULT_NOTIFY_CONFIG },
  };
}

/**
 * Generates `count` extra queues (besides the default one), deterministic for the same options: ids `p` + 32
 * hex; names `webp-previews`, `backfill`, `priority`, `nightly`, `uploads`, then `queue-6`…; every second one
 * `Paused`; every third one (the first included) `SpeedTranscoding`, the others `Transcoding`; created in
 * creation order 30 to 60 days ago.
 */
export function generateQueues(options: QueueSeedOptions): MediaQueue[] {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const rng = new Rng(createRandom(((options.seed ?? 1) ^ 0x51ed) >>> 0));
  const nowMs = Math.floor((options.now ?? Date.now()) / 1000) * 1000;
  const queues: MediaQueue[] = [];
  for (let i = 1; i <= count; i++) {
    queues.push(
      makeQueue({
        queueId: `p${rng.hex(32)}`,
        name: QUEUE_NAMES[i - 1] ?? `queue-${i}`,
        createdMs: nowMs - (60 - Math.floor((30 * i) / (count + 1))) * 86_400_000,
        bucket: options.bucket ?? DEMO_BUCKET,
        state: i % 2 === 0 ? 'Paused' : 'Active',
        category: i % 3 === 1 ? 'SpeedTranscoding' : 'Transcoding',
      }),
    );
  }
  return queues;
}

/**
 * The Official (preset) Animation templates every fake service has: `Official-GIF` and `Official-WebP`, ids
 * `t0` + 32 hex, fixed for every seed. They can be used by jobs, not updated or deleted.
 */
export function officialTemplates(): StoredTemplate[] {
  const make = (name: string, animation: Animation): StoredTemplate => ({
    TemplateId: `t0${createHash('sha1').update(`cloud-infinite-fake-ci|${name}`).digest('hex').slice(0, 32)}`,
    Name: name,
    Tag: 'Animation',
    Category: 'Official',
    BucketId: '',
    CreateTime: '2020-01-01T00:00:00+0800',
    UpdateTime: '2020-01-01T00:00:00+0800',
    TransTpl: animation,
  });
  return [
    make('Official-GIF', { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '480', Height: '', Fps: '10' } }),
    make('Official-WebP', { Container: { Format: 'webp' }, Video: { Codec: 'webp', Width: '480', Height: '', Fps: '10', Quality: '75' } }),
  ];
}
