/**
 * The fake service's state: jobs in memory, kept in listing order. Later operations (create, cancel, the job
 * state machine, queues, templates) add their collections and methods here.
 */
import { CiValidationError, documentShape, encodeXml, parseCiTime } from '@cloud-infinite/runtime';
import { shapes, type MediaJob, type components } from '@cloud-infinite/client';

/** State of a job, as the spec enumerates it. */
export type JobState = components['schemas']['JobState'];

/** Every job state, in the spec's order. */
export const JOB_STATES: readonly JobState[] = ['Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel'];

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

const JOB_DOCUMENT = documentShape('JobsDetail', shapes.AnimationJobDetailShape);

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
  if (f.states !== undefined && f.states.length > 0 && !f.states.includes(job.State)) return false;
  if (f.createdFromMs !== undefined && key.creationTimeMs < f.createdFromMs) return false;
  if (f.createdToMs !== undefined && key.creationTimeMs > f.createdToMs) return false;
  if (f.inputObject !== undefined && job.Input?.Object !== f.inputObject) return false;
  if (f.workflowId !== undefined && !(job.Workflow ?? []).some((w) => w.WorkflowId === f.workflowId)) return false;
  return true;
}

/** In-memory jobs, in listing order. Every job in and out is a copy. */
export class FakeCiStore {
  /** Ascending by {@link JobSortKey}. */
  readonly #sorted: Entry[] = [];
  readonly #byId = new Map<string, Entry>();

  /** Number of jobs stored. */
  get jobCount(): number {
    return this.#sorted.length;
  }

  /**
   * Adds a job and returns a copy of it. Throws {@link CiValidationError} when the job does not fit the spec's
   * `AnimationJobDetail` (so every stored job can be answered), has no valid CreationTime, or its JobId exists.
   */
  addJob(job: MediaJob): MediaJob {
    encodeXml(job as unknown as Record<string, unknown>, JOB_DOCUMENT); // throws when it would not encode
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
