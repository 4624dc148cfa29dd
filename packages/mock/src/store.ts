/**
 * The fake service's state, in memory: jobs kept in listing order, queues and templates in creation order.
 * Every value in and out is a copy, and every value stored encodes under the spec's shape (so it can always be
 * answered).
 */
import { CiValidationError, documentShape, encodeXml, parseCiTime } from '@cloud-infinite/runtime';
import { JobStateValues, shapes, type MediaJob, type MediaQueue, type MediaTemplate } from '@cloud-infinite/client';

/** State of a job, as the spec enumerates it. */
/** A job state the fake uses: the spec's documented values (`JobStateValues`). */
export type JobState = (typeof JobStateValues)[number];

/** Every job state, in the spec's order. */
export const JOB_STATES: readonly JobState[] = JobStateValues;

/** Listing order by creation time. */
export type SortOrder = 'Asc' | 'Desc';

/**
 * A job's position in the listing: its CreationTime in milliseconds since the epoch, then its JobId (ties
 * are ordered by JobId, so the order is total and stable). `Desc` is exactly the reverse of `Asc`.
 */
export interface JobSortKey {
  readonly creationTimeMs: number;
  readonly jobId: string;
}

/** Which jobs a listing returns. Every member given must match; absent members do not filter. */
export interface JobFilter {
  readonly queueId?: string;
  /** Exact `Tag`, e.g. `Animation`. */
  readonly tag?: string;
  /** Any of these states; absent or empty means every state. */
  readonly states?: readonly JobState[];
  /** Earliest CreationTime, inclusive, milliseconds since the epoch. */
  readonly createdFromMs?: number;
  /** Latest CreationTime, inclusive, milliseconds since the epoch. */
  readonly createdToMs?: number;
  /** Exact `Input.Object`. */
  readonly inputObject?: string;
  /** A `Workflow[].WorkflowId` of the job. */
  readonly workflowId?: string;
}

/** A listing request: a filter, an order, a keyset position and a page size. */
export interface JobListQuery extends JobFilter {
  /** Default `Desc` (newest first). */
  readonly order?: SortOrder;
  /** Return only jobs strictly after this position in `order` (the last job of the previous page). */
  readonly after?: JobSortKey;
  /** Most jobs returned; default: all. */
  readonly limit?: number;
}

/** One page of a listing. */
export interface JobListPage {
  /** The jobs, in order (copies: changing them does not change the store). */
  readonly jobs: MediaJob[];
  /** The position of the last job returned, when more matching jobs follow it; absent on the last page. */
  readonly next?: JobSortKey;
}

interface Entry {
  readonly key: JobSortKey;
  readonly job: MediaJob;
}

const JOB_DOCUMENT = documentShape('JobsDetail', shapes.MediaJobShape);
const QUEUE_DOCUMENT = documentShape('Queue', shapes.MediaQueueShape);
const TEMPLATE_DOCUMENT = documentShape('Template', shapes.MediaTemplateShape);

/** A stored template: a {@link MediaTemplate} whose `TemplateId` is always set. */
export type StoredTemplate = MediaTemplate & { TemplateId: string };

/** Throws a {@link CiValidationError} when `value` would not encode under `doc` (a value the service could not answer). */
function mustEncode(value: object, doc: ReturnType<typeof documentShape>): void {
  encodeXml(value as Record<string, unknown>, doc);
}

/** Compares two sort keys in ascending order. */
export function compareSortKeys(a: JobSortKey, b: JobSortKey): number {
  if (a.creationTimeMs !== b.creationTimeMs) return a.creationTimeMs < b.creationTimeMs ? -1 : 1;
  return a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
}

/** The sort key of a job; throws {@link CiValidationError} when its CreationTime is not a CI time. */
export function sortKeyOf(job: MediaJob): JobSortKey {
  const created = parseCiTime(job.CreationTime);
  if (!created) {
    throw new CiValidationError('A stored job needs a CreationTime', [
      { path: '/CreationTime', message: `must be YYYY-MM-DDTHH:MM:SS+HHMM, got ${JSON.stringify(job.CreationTime)}` },
    ]);
  }
  return { creationTimeMs: created.getTime(), jobId: job.JobId };
}

/** Whether a job matches a filter. */
export function matchesFilter(job: MediaJob, key: JobSortKey, f: JobFilter): boolean {
  if (f.queueId !== undefined && job.QueueId !== f.queueId) return false;
  if (f.tag !== undefined && job.Tag !== f.tag) return false;
  if (f.states !== undefined && f.states.length > 0 && !(f.states as readonly string[]).includes(job.State)) return false;
  if (f.createdFromMs !== undefined && key.creationTimeMs < f.createdFromMs) return false;
  if (f.createdToMs !== undefined && key.creationTimeMs > f.createdToMs) return false;
  if (f.inputObject !== undefined && job.Input?.Object !== f.inputObject) return false;
  if (f.workflowId !== undefined && !(job.Workflow ?? []).some((w) => w.WorkflowId === f.workflowId)) return false;
  return true;
}

/** In-memory jobs (in listing order), queues and templates (in creation order). Every value in and out is a copy. */
export class FakeCiStore {
  /** Ascending by {@link JobSortKey}. */
  readonly #sorted: Entry[] = [];
  readonly #byId = new Map<string, Entry>();
  readonly #queues = new Map<string, MediaQueue>();
  readonly #templates = new Map<string, StoredTemplate>();

  /** Number of jobs stored. */
  get jobCount(): number {
    return this.#sorted.length;
  }

  /**
   * Adds a job and returns a copy of it. Throws {@link CiValidationError} when the job does not fit the spec's
   * `AnimationJobDetail` (so every stored job can be answered), has no valid CreationTime, or its JobId exists.
   */
  addJob(job: MediaJob): MediaJob {
    mustEncode(job, JOB_DOCUMENT);
    const key = sortKeyOf(job);
    if (this.#byId.has(job.JobId)) {
      throw new CiValidationError('A job with this JobId exists', [{ path: '/JobId', message: `${job.JobId} is taken` }]);
    }
    const entry: Entry = { key, job: structuredClone(job) };
    this.#sorted.splice(this.#insertionIndex(key), 0, entry);
    this.#byId.set(job.JobId, entry);
    return structuredClone(entry.job);
  }

  /** A copy of the job with this id, or undefined. */
  getJob(jobId: string): MediaJob | undefined {
    const entry = this.#byId.get(jobId);
    return entry ? structuredClone(entry.job) : undefined;
  }

  /**
   * Replaces a job with `update(copy of the job)` and returns a copy of the result. The JobId and CreationTime
   * (the listing position) must not change. Throws {@link CiValidationError} when there is no such job, the
   * position changes, or the result does not fit the spec.
   */
  updateJob(jobId: string, update: (job: MediaJob) => MediaJob): MediaJob {
    const entry = this.#byId.get(jobId);
    if (!entry) throw new CiValidationError('No such job', [{ path: '/JobId', message: `${jobId} does not exist` }]);
    const next = update(structuredClone(entry.job));
    mustEncode(next, JOB_DOCUMENT);
    if (next.JobId !== entry.job.JobId || next.CreationTime !== entry.job.CreationTime) {
      throw new CiValidationError('A job update may not change JobId or CreationTime', [{ path: '/JobId', message: jobId }]);
    }
    const replaced: Entry = { key: entry.key, job: structuredClone(next) };
    this.#sorted[this.#insertionIndex(entry.key, 'before')] = replaced;
    this.#byId.set(jobId, replaced);
    return structuredClone(next);
  }

  /** Ids of every job, in ascending listing order. */
  jobIds(): string[] {
    return this.#sorted.map((e) => e.job.JobId);
  }

  // ---- queues (creation order) ----

  /** Adds a queue; throws {@link CiValidationError} when its `QueueId` exists or it does not fit the spec. */
  addQueue(queue: MediaQueue): MediaQueue {
    mustEncode(queue, QUEUE_DOCUMENT);
    if (this.#queues.has(queue.QueueId)) {
      throw new CiValidationError('A queue with this QueueId exists', [{ path: '/QueueId', message: `${queue.QueueId} is taken` }]);
    }
    this.#queues.set(queue.QueueId, structuredClone(queue));
    return structuredClone(queue);
  }

  /** A copy of the queue with this id, or undefined. */
  getQueue(queueId: string): MediaQueue | undefined {
    const queue = this.#queues.get(queueId);
    return queue ? structuredClone(queue) : undefined;
  }

  /** Every queue, in creation order (copies). */
  listQueues(): MediaQueue[] {
    return [...this.#queues.values()].map((q) => structuredClone(q));
  }

  /** Replaces a queue with `update(copy)`; its `QueueId` must not change. Throws {@link CiValidationError}. */
  updateQueue(queueId: string, update: (queue: MediaQueue) => MediaQueue): MediaQueue {
    const queue = this.#queues.get(queueId);
    if (!queue) throw new CiValidationError('No such queue', [{ path: '/QueueId', message: `${queueId} does not exist` }]);
    const next = update(structuredClone(queue));
    mustEncode(next, QUEUE_DOCUMENT);
    if (next.QueueId !== queueId)
      throw new CiValidationError('A queue update may not change QueueId', [{ path: '/QueueId', message: queueId }]);
    this.#queues.set(queueId, structuredClone(next));
    return structuredClone(next);
  }

  // ---- templates (creation order) ----

  /** Adds a template; throws {@link CiValidationError} when its `TemplateId` is missing or taken, or it does not fit the spec. */
  addTemplate(template: StoredTemplate): StoredTemplate {
    mustEncode(template, TEMPLATE_DOCUMENT);
    if (!template.TemplateId || this.#templates.has(template.TemplateId)) {
      throw new CiValidationError('A template needs a new TemplateId', [
        { path: '/TemplateId', message: `${template.TemplateId} is missing or taken` },
      ]);
    }
    this.#templates.set(template.TemplateId, structuredClone(template));
    return structuredClone(template);
  }

  /** A copy of the template with this id, or undefined. */
  getTemplate(templateId: string): StoredTemplate | undefined {
    const template = this.#templates.get(templateId);
    return template ? structuredClone(template) : undefined;
  }

  /** Every template, in creation order (copies). */
  listTemplates(): StoredTemplate[] {
    return [...this.#templates.values()].map((t) => structuredClone(t));
  }

  /** Replaces a template with `update(copy)`; its `TemplateId` must not change. Throws {@link CiValidationError}. */
  updateTemplate(templateId: string, update: (template: StoredTemplate) => StoredTemplate): StoredTemplate {
    const template = this.#templates.get(templateId);
    if (!template) throw new CiValidationError('No such template', [{ path: '/TemplateId', message: `${templateId} does not exist` }]);
    const next = update(structuredClone(template));
    mustEncode(next, TEMPLATE_DOCUMENT);
    if (next.TemplateId !== templateId) {
      throw new CiValidationError('A template update may not change TemplateId', [{ path: '/TemplateId', message: templateId }]);
    }
    this.#templates.set(templateId, structuredClone(next));
    return structuredClone(next);
  }

  /** Deletes a template; false when there was none. */
  deleteTemplate(templateId: string): boolean {
    return this.#templates.delete(templateId);
  }

  /**
   * A page of the jobs matching `query`, in its order, starting strictly after `query.after`. A keyset
   * listing: jobs added or changed between pages never make a page repeat or skip a job that was already
   * listed or still to come.
   */
  listJobs(query: JobListQuery = {}): JobListPage {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const desc = (query.order ?? 'Desc') === 'Desc';
    const jobs: MediaJob[] = [];
    let last: JobSortKey | undefined;
    let more = false;
    const n = this.#sorted.length;
    let i: number;
    if (desc) i = query.after ? this.#insertionIndex(query.after, 'before') - 1 : n - 1;
    else i = query.after ? this.#insertionIndex(query.after) : 0;
    for (; desc ? i >= 0 : i < n; desc ? i-- : i++) {
      const entry = this.#sorted[i]!;
      if (!matchesFilter(entry.job, entry.key, query)) continue;
      if (jobs.length >= limit) {
        more = true;
        break;
      }
      jobs.push(structuredClone(entry.job));
      last = entry.key;
    }
    return more && last ? { jobs, next: last } : { jobs };
  }

  /**
   * Index of the first entry whose key is greater than `key` (`after`, the default), or greater than or equal
   * to it (`before`). A binary search over the sorted entries.
   */
  #insertionIndex(key: JobSortKey, side: 'after' | 'before' = 'after'): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareSortKeys(this.#sorted[mid]!.key, key);
      if (c < 0 || (c === 0 && side === 'after')) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
