/**
 * The decode fixture: one DescribeMediaJobs page of realistic Animation jobs, written as CI writes it
 * (a `<Response>` root, two-space indentation, `JobsDetail` repeated), deterministic (a seeded PRNG and a
 * fixed clock: the same options give the same bytes).
 *
 * About a third of the jobs (the successful ones, by weight) carry `Operation.MediaInfo` and
 * `Operation.MediaResult`; every 17th input key holds a space and CJK characters; a few UserData values
 * hold entities (`&amp;`). The XML is written here by hand — not by the SDK's encoder — so a bug in the SDK
 * cannot make the fixture easier for it.
 *
 * Run `npm run fixture -w @cloud-infinite/bench` to write it to `bench/fixtures/` and print its size and SHA-256.
 */

/** Options of {@link buildJobsPage}. */
export interface FixtureOptions {
  /** Jobs on the page; default 100 (DescribeMediaJobs' largest `size`). */
  readonly jobs?: number;
  /** PRNG seed; default 20240501. */
  readonly seed?: number;
  /** "Now", milliseconds since the epoch; default 2024-05-01T12:00:00+0800. */
  readonly nowMs?: number;
  /** Append a `<NextToken>`; default true. */
  readonly nextToken?: boolean;
  /**
   * Pretty-print with two-space indentation and a newline per element, as the documentation's samples
   * are; default false: one line, as services write it.
   */
  readonly pretty?: boolean;
}

/** mulberry32: small, fast, seedable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `YYYY-MM-DDTHH:MM:SS+0800`. */
function ciTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(
    d.getUTCSeconds(),
  )}+0800`;
}

type Node = [name: string, value: string | Node[]];

function write(nodes: Node[], indent: string | undefined, out: string[]): void {
  const pad = indent ?? '';
  const nl = indent === undefined ? '' : '\n';
  for (const [name, value] of nodes) {
    if (typeof value === 'string') out.push(`${pad}<${name}>${escape(value)}</${name}>${nl}`);
    else {
      out.push(`${pad}<${name}>${nl}`);
      write(value, indent === undefined ? undefined : `${indent}  `, out);
      out.push(`${pad}</${name}>${nl}`);
    }
  }
}

/** Builds the page. Deterministic. */
export function buildJobsPage(options: FixtureOptions = {}): string {
  const count = options.jobs ?? 100;
  const rnd = random(options.seed ?? 20240501);
  const nowMs = options.nowMs ?? Date.UTC(2024, 4, 1, 4, 0, 0);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const hex = (n: number) => {
    let s = '';
    while (s.length < n)
      s += Math.floor(rnd() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return s.slice(0, n);
  };
  const queueId = `p${hex(32)}`;
  const templates = [
    ['gif-480p-15fps', `t1${hex(32)}`],
    ['webp-320p-12fps', `t1${hex(32)}`],
    ['gif-keyframes', `t1${hex(32)}`],
  ] as const;
  const workflowId = `w${hex(32)}`;
  const jobs: Node[] = [];
  let created = nowMs;
  for (let i = 0; i < count; i++) {
    created -= int(0, 600) * 1000;
    const r = rnd();
    const state = r < 0.25 ? 'Success' : r < 0.4 ? 'Failed' : r < 0.5 ? 'Cancel' : r < 0.65 ? 'Running' : 'Submitted';
    const jobId = `j${hex(32)}`;
    const clip = String(int(1, 4000)).padStart(4, '0');
    const input = i % 17 === 5 ? `uploads/2024 夏天/clip-${clip}.mov` : `videos/clip-${clip}.mp4`;
    const useTemplate = rnd() < 0.4;
    const template = pick(templates);
    const format = useTemplate ? (template[0].startsWith('webp') ? 'webp' : 'gif') : pick(['gif', 'gif', 'webp', 'hgif']);
    const ext = format === 'webp' ? 'webp' : 'gif';
    const outObject = `animations/clip-${clip}-${jobId.slice(1, 9)}.${ext}`;
    const fps = pick(['10', '12', '15', '24']);
    const width = pick(['320', '480', '640']);
    const duration = int(2, 15);
    const operation: Node[] = [];
    if (useTemplate) operation.push(['TemplateId', template[1]], ['TemplateName', template[0]]);
    else {
      const video: Node[] = [
        ['Codec', format === 'webp' ? 'webp' : 'gif'],
        ['Width', width],
        ['Height', ''],
        ['Fps', fps],
      ];
      if (format === 'webp') video.push(['Quality', String(int(60, 95))]);
      if (rnd() < 0.3) video.push(['AnimateOnlyKeepKeyFrame', 'true']);
      operation.push([
        'Animation',
        [
          ['Container', [['Format', format]]],
          ['Video', video],
          [
            'TimeInterval',
            [
              ['Start', String(int(0, 20))],
              ['Duration', String(duration)],
            ],
          ],
        ],
      ]);
    }
    operation.push([
      'Output',
      [
        ['Region', 'ap-beijing'],
        ['Bucket', 'examplebucket-1250000000'],
        ['Object', outObject],
      ],
    ]);
    if (state === 'Success') {
      const webp = format === 'webp';
      const height = String(Math.round((Number(width) * 9) / 16 / 2) * 2);
      const size = int(200_000, 4_000_000);
      const frames = duration * Number(fps);
      operation.push(
        [
          'MediaInfo',
          [
            [
              'Format',
              [
                ['Bitrate', ((size * 8) / 1000 / duration).toFixed(3)],
                ['Duration', duration.toFixed(6)],
                ['FormatLongName', webp ? 'piped webp sequence' : 'CompuServe Graphics Interchange Format (GIF)'],
                ['FormatName', webp ? 'webp_pipe' : 'gif'],
                ['NumProgram', '0'],
                ['NumStream', '1'],
                ['Size', String(size)],
                ['StartTime', '0.000000'],
              ],
            ],
            [
              'Stream',
              [
                [
                  'Video',
                  [
                    ['Index', '0'],
                    ['CodecName', webp ? 'webp' : 'gif'],
                    ['CodecLongName', webp ? 'WebP' : 'CompuServe GIF (Graphics Interchange Format)'],
                    ['CodecTimeBase', '1/100'],
                    ['Height', height],
                    ['Width', width],
                    ['PixFormat', webp ? 'yuva420p' : 'bgra'],
                    ['Fps', fps],
                    ['AvgFps', fps],
                    ['Duration', duration.toFixed(6)],
                    ['NumFrames', String(frames)],
                  ],
                ],
              ],
            ],
          ],
        ],
        [
          'MediaResult',
          [
            [
              'OutputFile',
              [
                ['Bucket', 'examplebucket-1250000000'],
                ['Region', 'ap-beijing'],
                ['ObjectName', outObject],
                [
                  'Md5Info',
                  [
                    ['Md5', hex(32)],
                    ['ObjectName', outObject],
                  ],
                ],
              ],
            ],
          ],
        ],
      );
    }
    if (rnd() < 0.2) operation.push(['UserData', `batch=${int(1, 9)}&owner=team-${pick(['a', 'b', 'c'])}`]);
    operation.push(['JobLevel', pick(['0', '0', '0', '1', '2'])]);
    const failed = state === 'Failed';
    const ended = state === 'Success' || failed || state === 'Cancel';
    const startMs = created + int(1, 20) * 1000;
    const job: Node[] = [
      ['Code', failed ? 'InvalidInput' : 'Success'],
      ['Message', failed ? 'The input file is not a video.' : 'Success'],
      ['JobId', jobId],
      ['Tag', 'Animation'],
      ['State', state],
      ['Progress', state === 'Success' ? '100' : state === 'Running' ? String(int(1, 99)) : '0'],
      ['CreationTime', ciTime(created)],
      ['StartTime', state === 'Submitted' ? '' : ciTime(startMs)],
      ['EndTime', ended ? ciTime(startMs + int(2, 90) * 1000) : ''],
      ['QueueId', queueId],
      ['QueueType', 'Common'],
      ['Input', [['Object', input]]],
      ['Operation', operation],
    ];
    if (rnd() < 0.15) {
      job.push([
        'Workflow',
        [
          ['Name', `Animation_${1_714_500_000_000 + i}`],
          ['RunId', `i${hex(32)}`],
          ['WorkflowId', workflowId],
          ['WorkflowName', 'gif-on-upload'],
        ],
      ]);
    }
    jobs.push(['JobsDetail', job]);
  }
  if (options.nextToken ?? true) jobs.push(['NextToken', `${hex(24)}==`]);
  const pretty = options.pretty ?? false;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>\n<Response>${pretty ? '\n' : ''}`];
  write(jobs, pretty ? '  ' : undefined, out);
  out.push('</Response>\n');
  return out.join('');
}
