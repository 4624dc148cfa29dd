/**
 * The table columns of every command: jobs, queues, templates. Cells are the decoded values as the
 * service sent them (sanitised by `renderTable`); `--json` has everything.
 */
import { redactToken, type MediaJob, type MediaQueue, type MediaTemplate } from '@cloud-infinite/client';
import type { Column } from './table';

/** Longest failure message shown in the table; `--json` has the whole text. */
const MESSAGE_WIDTH = 60;

/** The table columns of a job listing. */
export const JOB_COLUMNS: readonly Column<MediaJob>[] = [
  { header: 'JOB ID', cell: (j) => j.JobId },
  // `Submitted`, the longest state
  { header: 'STATE', cell: (j) => j.State, streamWidth: 9 },
  { header: 'CREATED', cell: (j) => j.CreationTime },
  { header: 'INPUT', cell: (j) => j.Input?.Object },
  {
    header: 'OUTPUT',
    cell: (j) => j.Operation?.Output?.Object || (j.Operation?.TemplateId ? `(template ${j.Operation.TemplateId})` : undefined),
  },
  // room for the usual error codes (`InputObjectNotExist`) when the first page of a listing has no failure
  { header: 'CODE', cell: (j) => (j.State === 'Failed' ? j.Code : undefined), optional: true, streamWidth: 20 },
  { header: 'MESSAGE', cell: (j) => (j.State === 'Failed' ? j.Message : undefined), optional: true, maxWidth: MESSAGE_WIDTH },
];

/** The table columns of single jobs (`jobs create|get|wait`): the listing's, with progress and end time. */
export const JOB_DETAIL_COLUMNS: readonly Column<MediaJob>[] = [
  { header: 'JOB ID', cell: (j) => j.JobId },
  { header: 'STATE', cell: (j) => j.State },
  { header: 'PROGRESS', cell: (j) => (j.Progress ? `${j.Progress}%` : undefined), optional: true },
  { header: 'CREATED', cell: (j) => j.CreationTime },
  { header: 'ENDED', cell: (j) => j.EndTime, optional: true },
  ...JOB_COLUMNS.slice(3),
];

/** The table columns of a queue listing (`queues list|update`). */
export const QUEUE_COLUMNS: readonly Column<MediaQueue>[] = [
  { header: 'QUEUE ID', cell: (q) => q.QueueId },
  { header: 'NAME', cell: (q) => q.Name },
  { header: 'STATE', cell: (q) => q.State },
  { header: 'MAX SIZE', cell: (q) => (q.MaxSize === undefined ? undefined : String(q.MaxSize)), optional: true },
  { header: 'CONCURRENT', cell: (q) => (q.MaxConcurrent === undefined ? undefined : String(q.MaxConcurrent)), optional: true },
  {
    header: 'NOTIFY',
    cell: (q) =>
      // a secret carried in the callback URL (`?token=`) is not shown
      [q.NotifyConfig?.State, q.NotifyConfig?.Url === undefined ? undefined : redactToken(q.NotifyConfig.Url), q.NotifyConfig?.Event]
        .filter((s) => s !== undefined && s !== '')
        .join(' ') || undefined,
    optional: true,
    maxWidth: 60,
  },
  { header: 'UPDATED', cell: (q) => q.UpdateTime, optional: true },
];

/** `1280x720`, `1280x?` (the other side keeps the aspect ratio), or undefined when neither is set. */
function size(width: string | undefined, height: string | undefined): string | undefined {
  if (!width && !height) return undefined;
  return `${width || '?'}x${height || '?'}`;
}

/** `0s+60s`, `1.5s+` (to the end), or undefined. */
function interval(start: string | undefined, duration: string | undefined): string | undefined {
  if (!start && !duration) return undefined;
  return `${start || '0'}s+${duration ? `${duration}s` : ''}`;
}

/**
 * Which input frames are taken, by the documented priority: AnimateFramesPerSecond, else key frames only,
 * else one frame every N seconds.
 */
function frames(t: MediaTemplate): string | undefined {
  const v = t.TransTpl?.Video;
  if (!v) return undefined;
  if (v.AnimateFramesPerSecond) return `${v.AnimateFramesPerSecond}/s of input`;
  if (v.AnimateOnlyKeepKeyFrame === 'true') return 'key frames';
  return v.AnimateTimeIntervalOfFrame ? `1 per ${v.AnimateTimeIntervalOfFrame}s` : undefined;
}

/** The table columns of a template listing (`templates list|create|update`). */
export const TEMPLATE_COLUMNS: readonly Column<MediaTemplate>[] = [
  { header: 'TEMPLATE ID', cell: (t) => t.TemplateId },
  { header: 'NAME', cell: (t) => t.Name },
  { header: 'CATEGORY', cell: (t) => t.Category, optional: true },
  { header: 'FORMAT', cell: (t) => t.TransTpl?.Container?.Format },
  { header: 'CODEC', cell: (t) => t.TransTpl?.Video?.Codec, optional: true },
  { header: 'SIZE', cell: (t) => size(t.TransTpl?.Video?.Width, t.TransTpl?.Video?.Height), optional: true },
  { header: 'FPS', cell: (t) => t.TransTpl?.Video?.Fps, optional: true },
  { header: 'FRAMES', cell: frames, optional: true },
  { header: 'QUALITY', cell: (t) => t.TransTpl?.Video?.Quality, optional: true },
  { header: 'TIME', cell: (t) => interval(t.TransTpl?.TimeInterval?.Start, t.TransTpl?.TimeInterval?.Duration), optional: true },
  { header: 'UPDATED', cell: (t) => t.UpdateTime, optional: true },
];
