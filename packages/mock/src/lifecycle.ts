/**
 * The job state machine of the fake service: Submitted → Running → Success | Failed (and Cancel from
 * Submitted), driven by a {@link JobProgression}.
 *
 * Jobs created through CreateMediaJobs are *live*: they progress on their own as the progression says. Seeded
 * jobs (and jobs added to the store directly) are history: they keep their state unless a test moves them with
 * {@link JobEngine.advance}.
 */
import { escapeXmlText, formatCiTime } from '@cloud-infinite/runtime';
import type { Animation, MediaJob } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from './constants';
import type { IdSource } from './ids';
import { jobResult } from './seed';
import { JOB_STATES, type FakeCiStore, type JobState } from './store';

/**
 * How created jobs progress.
 * - `{ afterMs: n }` (the default, {@link DEFAULT_JOB_PROGRESSION}: 300 ms): on the service clock (`now`), a job
 *   is `Submitted` for `n` ms, then `Running` for `n` ms, then ends (Success or Failed). StartTime and EndTime
 *   are the times it moved, and a job can be canceled while it is still Submitted. States are brought up to date
 *   each time the service handles a request (and by {@link JobEngine.settle}): with a fixed `now`, jobs never move.
 * - `'immediate'`: a created job has finished (Success or Failed) by the first time it is read — so it can
 *   never be canceled. The CreateMediaJobs answer itself still shows it `Submitted`, as CI's does.
 * - `{ afterPolls: n }`: a job moves one step after every `n` reads of it (DescribeMediaJob, or a
 *   DescribeMediaJobs page that holds it). A read answers the state as it is and then counts, so each of
 *   Submitted and Running is seen by exactly `n` reads: with `n = 1`, reads see Submitted, Running, then the end.
 * - `'manual'`: jobs stay `Submitted` until {@link JobEngine.advance} (`service.advance(jobId?, toState?)`).
 *
 * In every mode a job in a `Paused` queue stays `Submitted` (and its reads do not count) until the queue is
 * `Active` again; then `{ afterMs }` starts its `Submitted` time anew and `'immediate'` finishes it at once.
 */
export type JobProgression = 'immediate' | 'manual' | { readonly afterPolls: number } | { readonly afterMs: number };

/** The default progression: 300 ms in each of Submitted and Running, on the service clock. */
export const DEFAULT_JOB_PROGRESSION: { readonly afterMs: number } = Object.freeze({ afterMs: 300 });

/** Longest `afterMs` accepted: one day. */
export const MAX_AFTER_MS = 86_400_000;

/** How a job ends. */
export type JobOutcome = { readonly state: 'Success' } | { readonly state: 'Failed'; readonly code: string; readonly message: string };

/** Decides how a job ends, from the job as submitted. */
export type JobOutcomeRule = (job: Readonly<MediaJob>) => JobOutcome;

/**
 * A rule whose outcomes are checked: a state other than Success or Failed, or a Failed code or message that is not
 * a string XML can carry, is a RangeError naming the rule (what it returns ends up in every answer that holds the
 * job, and in its notification).
 */
function checkedRule(rule: JobOutcomeRule): JobOutcomeRule {
  /** Whether the runtime's XML encoder can carry the text (no control character, U+FFFE/U+FFFF or lone surrogate). */
  const isXmlText = (text: string): boolean => {
    try {
      escapeXmlText(text);
      return true;
    } catch {
      return false;
    }
  };
  return (job) => {
    const outcome = rule(job);
    const state: unknown = (outcome as { state?: unknown } | undefined)?.state;
    if (state === 'Success') return outcome;
    if (state !== 'Failed') {
      throw new RangeError(`jobOutcome returned ${JSON.stringify(state)} for ${job.JobId}: a state must be Success or Failed`);
    }
    for (const key of ['code', 'message'] as const) {
      const text: unknown = (outcome as { code?: unknown; message?: unknown })[key];
      if (typeof text !== 'string' || !isXmlText(text)) {
        throw new RangeError(`jobOutcome returned a ${key} for ${job.JobId} that is not text XML can carry`);
      }
    }
    return outcome;
  };
}

/** Input keys that make a job fail by default: any key containing `fail`, in any case (`videos/fail-01.mp4`). */
export const FAILING_INPUT = /fail/i;

/** The failure a job whose input key matches {@link FAILING_INPUT} ends with. */
export const DEFAULT_FAILURE = { state: 'Failed', code: 'InvalidInput', message: 'The input file is not a video.' } as const;

/**
 * The default {@link JobOutcomeRule}: `Failed` with Code `InvalidInput` and Message `The input file is not a
 * video.` when `Input.Object` contains `fail` (any case), else `Success`.
 */
export const defaultJobOutcome: JobOutcomeRule = (job) =>
  FAILING_INPUT.test(job.Input?.Object ?? '') ? DEFAULT_FAILURE : { state: 'Success' };

/** The failure a job forced to `Failed` by {@link JobEngine.advance} gets when its outcome was a success. */
const FORCED_FAILURE = { code: 'InternalError', message: 'Internal error, please retry.' } as const;

const FINAL_STATES: ReadonlySet<string> = new Set<JobState>(['Success', 'Failed', 'Cancel']);

/** Whether a job state is final (Success, Failed, Cancel). */
export const isFinalState = (state: string): boolean => FINAL_STATES.has(state);

interface LiveJob {
  /** Reads counted in the current state (for `afterPolls`). */
  reads: number;
  /** When the job entered its current state (or its queue was resumed), ms on the service clock (for `afterMs`). */
  since: number;
  /** Bumped whenever `since` changes: a due entry of another version is stale. */
  version: number;
  /** The parameters the job runs with (its template's, resolved at submission, or its inline Animation). */
  readonly animation: Animation | undefined;
}

/** When a live job is due to move (for `afterMs`): an entry of the engine's min-heap. */
interface Due {
  readonly at: number;
  readonly jobId: string;
  readonly version: number;
}

/** Options of a {@link JobEngine}. */
export interface JobEngineOptions {
  /** Default {@link DEFAULT_JOB_PROGRESSION}. */
  readonly progression?: JobProgression;
  /** How jobs end; default {@link defaultJobOutcome}. */
  readonly outcome?: JobOutcomeRule;
  /** Called when a job reaches a final state (Success, Failed or Cancel), with the job as it is then. Must not throw. */
  readonly onEnd?: (job: MediaJob) => void;
}

const isCount = (n: unknown, max: number): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;

/** Checks a progression option; throws a RangeError on a bad one. */
export function checkProgression(progression: JobProgression): JobProgression {
  if (progression === 'immediate' || progression === 'manual') return progression;
  if (typeof progression === 'object' && progression !== null) {
    const keys = Object.keys(progression);
    if (keys.length === 1 && 'afterPolls' in progression && isCount(progression.afterPolls, Number.MAX_SAFE_INTEGER)) {
      return { afterPolls: progression.afterPolls };
    }
    if (keys.length === 1 && 'afterMs' in progression && isCount(progression.afterMs, MAX_AFTER_MS)) {
      return { afterMs: progression.afterMs };
    }
  }
  throw new RangeError(
    `jobProgression must be { afterMs: n } (1..${MAX_AFTER_MS}), 'immediate', 'manual' or { afterPolls: n } with an integer n >= 1, got ${JSON.stringify(progression)}`,
  );
}

/** Moves jobs through their states. One per service. */
export class JobEngine {
  readonly progression: JobProgression;
  readonly #outcome: JobOutcomeRule;
  readonly #onEnd: ((job: MediaJob) => void) | undefined;
  readonly #store: FakeCiStore;
  readonly #ids: IdSource;
  readonly #live = new Map<string, LiveJob>();
  /** `{ afterMs }`: live jobs by the time they are due to move (stale entries are skipped). */
  readonly #due: Due[] = [];

  constructor(store: FakeCiStore, ids: IdSource, options: JobEngineOptions = {}) {
    this.#store = store;
    this.#ids = ids;
    this.progression = checkProgression(options.progression ?? DEFAULT_JOB_PROGRESSION);
    this.#outcome = checkedRule(options.outcome ?? defaultJobOutcome);
    this.#onEnd = options.onEnd;
  }

  /** `{ afterMs }`: when the next live job is due to move, ms on the service clock; undefined when none is (or in another mode). */
  get nextDueAt(): number | undefined {
    while (this.#due.length) {
      const top = this.#due[0]!;
      if (this.#live.get(top.jobId)?.version === top.version) return top.at;
      heapPop(this.#due); // stale
    }
    return undefined;
  }

  /** Ids of the live jobs that have not finished. */
  get liveJobIds(): string[] {
    return [...this.#live.keys()];
  }

  /** The `afterMs` of the progression, or undefined in another mode. */
  get #afterMs(): number | undefined {
    const p = this.progression;
    return typeof p === 'object' && 'afterMs' in p ? p.afterMs : undefined;
  }

  /**
   * Stores a new `Submitted` job as a live job and returns it as submitted (what CreateMediaJobs answers).
   * `animation`: the parameters it runs with. In `'immediate'` mode it is finished at once (unless its queue
   * is paused).
   */
  submit(job: MediaJob, animation: Animation | undefined, nowMs: number): MediaJob {
    const submitted = this.#store.addJob({ ...job, State: 'Submitted', Progress: '0', StartTime: '', EndTime: '' });
    const live: LiveJob = { reads: 0, since: nowMs, version: 0, animation };
    this.#live.set(job.JobId, live);
    this.#schedule(job.JobId, live);
    if (this.progression === 'immediate' && !this.#queuePaused(submitted)) this.#finish(submitted.JobId, nowMs);
    return submitted;
  }

  /**
   * `{ afterMs }` mode: moves every live job whose time in its state has passed by `nowMs`, each move at the time
   * it was due (so StartTime and EndTime are those times, not `nowMs`). Submitted jobs in a paused queue stay.
   * The service calls it before each request; other modes do nothing. Costs O(log n) per move. Throws the first
   * error a `jobOutcome` rule throws (or a RangeError for an outcome it cannot use), after moving every other due
   * job; that job is due again `afterMs` later.
   */
  settle(nowMs: number): void {
    const afterMs = this.#afterMs;
    if (afterMs === undefined) return;
    let failure: { error: unknown } | undefined;
    while (this.#due.length && this.#due[0]!.at <= nowMs) {
      const due = heapPop(this.#due);
      const live = this.#live.get(due.jobId);
      if (!live || live.version !== due.version) continue;
      const job = this.#store.getJob(due.jobId);
      if (!job || (job.State === 'Submitted' && this.#queuePaused(job))) continue; // queueResumed reschedules it
      try {
        this.#step(job, due.at);
      } catch (error) {
        // a jobOutcome rule threw: that job is due again afterMs later (the others go on moving); the caller gets
        // the first error once every due job has had its turn
        failure ??= { error };
        heapPush(this.#due, { ...due, at: nowMs + afterMs });
      }
    }
    if (failure) throw failure.error;
  }

  /**
   * Counts one read of each of these jobs (after they were answered). In `{ afterPolls: n }` mode a live job
   * read `n` times in its state moves one step. Jobs that are not live are ignored.
   */
  observed(jobIds: Iterable<string>, nowMs: number): void {
    const progression = this.progression;
    if (typeof progression !== 'object' || !('afterPolls' in progression)) return;
    for (const jobId of jobIds) {
      const live = this.#live.get(jobId);
      if (!live) continue;
      const job = this.#store.getJob(jobId);
      if (!job || (job.State === 'Submitted' && this.#queuePaused(job))) continue;
      live.reads++;
      if (live.reads >= progression.afterPolls) this.#step(job, nowMs);
    }
  }

  /**
   * Moves jobs and returns them as they are now.
   * - `advance()`: every live job that has not finished moves one step (Submitted → Running → Success|Failed;
   *   Pause → Running); Submitted jobs in a paused queue stay.
   * - `advance(jobId)`: that job (live or seeded) moves one step; a finished job is returned unchanged.
   * - `advance(jobId, toState)` / `advance(undefined, toState)`: straight to `toState` (e.g. `'Failed'` to test a
   *   failure; the job's outcome Code/Message, or `InternalError`), setting StartTime/EndTime/results as CI would.
   * In `{ afterMs }` mode a moved job's time in its new state starts at `nowMs`.
   *
   * Throws a RangeError for an unknown job, an unknown state, moving back to `Submitted`, or moving a
   * finished job to another state.
   */
  advance(jobId: string | undefined, toState: JobState | undefined, nowMs: number): MediaJob[] {
    if (toState !== undefined && !(JOB_STATES as readonly string[]).includes(toState)) {
      throw new RangeError(`Unknown job state ${JSON.stringify(toState)}; expected one of ${JOB_STATES.join(', ')}`);
    }
    if (toState === 'Submitted') throw new RangeError('A job cannot be moved back to Submitted');
    if (jobId === undefined) {
      const moved: MediaJob[] = [];
      for (const id of [...this.#live.keys()]) {
        const job = this.#store.getJob(id);
        if (!job) continue;
        if (toState === undefined && job.State === 'Submitted' && this.#queuePaused(job)) continue;
        moved.push(toState === undefined ? this.#step(job, nowMs) : this.#moveTo(job, toState, nowMs));
      }
      return moved;
    }
    const job = this.#store.getJob(jobId);
    if (!job) throw new RangeError(`No job ${JSON.stringify(jobId)} in the fake service`);
    if (toState === undefined) return [isFinalState(job.State) ? job : this.#step(job, nowMs)];
    if (isFinalState(job.State) && job.State !== toState) {
      throw new RangeError(`Job ${jobId} has finished (${job.State}); it cannot become ${toState}`);
    }
    return [job.State === toState ? job : this.#moveTo(job, toState, nowMs)];
  }

  /** Cancels a Submitted job (the behaviour checks the state): State `Cancel`, EndTime now. */
  cancel(jobId: string, nowMs: number): MediaJob {
    const job = this.#store.getJob(jobId);
    if (!job) throw new RangeError(`No job ${JSON.stringify(jobId)}`);
    return this.#moveTo(job, 'Cancel', nowMs);
  }

  /**
   * A queue became Active: its live Submitted jobs may progress again. `'immediate'`: they finish now;
   * `{ afterMs }`: their Submitted time starts now.
   */
  queueResumed(queueId: string, nowMs: number): void {
    if (this.progression !== 'immediate' && this.#afterMs === undefined) return;
    for (const [id, live] of [...this.#live]) {
      const job = this.#store.getJob(id);
      if (!job || job.QueueId !== queueId || job.State !== 'Submitted') continue;
      if (this.progression === 'immediate') this.#finish(id, nowMs);
      else {
        live.since = nowMs;
        this.#schedule(id, live);
      }
    }
  }

  /** `{ afterMs }`: (re)schedules a live job's next move at `since + afterMs`. */
  #schedule(jobId: string, live: LiveJob): void {
    const afterMs = this.#afterMs;
    if (afterMs === undefined) return;
    live.version++;
    heapPush(this.#due, { at: live.since + afterMs, jobId, version: live.version });
  }

  #queuePaused(job: MediaJob): boolean {
    return job.QueueId !== undefined && this.#store.getQueue(job.QueueId)?.State === 'Paused';
  }

  /** One step forward. */
  #step(job: MediaJob, nowMs: number): MediaJob {
    switch (job.State) {
      case 'Submitted':
      case 'Pause':
        return this.#moveTo(job, 'Running', nowMs);
      case 'Running': {
        const outcome = this.#outcome(job);
        return this.#moveTo(job, outcome.state, nowMs, outcome);
      }
      default:
        return job;
    }
  }

  /** Submitted → Success|Failed at once (StartTime = EndTime = now). */
  #finish(jobId: string, nowMs: number): MediaJob {
    const job = this.#store.getJob(jobId)!;
    const outcome = this.#outcome(job);
    return this.#moveTo(job, outcome.state, nowMs, outcome);
  }

  #moveTo(job: MediaJob, state: JobState, nowMs: number, outcome?: JobOutcome): MediaJob {
    const now = formatCiTime(new Date(nowMs), CI_OFFSET_MINUTES);
    const live = this.#live.get(job.JobId);
    const updated = this.#store.updateJob(job.JobId, (j) => {
      j.State = state;
      if (state !== 'Cancel' && !j.StartTime) j.StartTime = now;
      switch (state) {
        case 'Running':
          j.Progress = '50';
          break;
        case 'Pause':
          break;
        case 'Success': {
          j.Progress = '100';
          j.EndTime = now;
          j.Code = 'Success';
          j.Message = 'Success';
          const operation = j.Operation ?? {};
          const output = operation.Output;
          if (output) {
            const animation = live ? live.animation : (operation.Animation ?? this.#templateAnimation(operation.TemplateId));
            Object.assign(operation, jobResult(this.#ids.rng, animation, output));
          }
          j.Operation = operation;
          break;
        }
        case 'Failed': {
          const failure = outcome?.state === 'Failed' ? outcome : this.#failureOf(j);
          j.EndTime = now;
          j.Code = failure.code;
          j.Message = failure.message;
          break;
        }
        case 'Cancel':
          j.EndTime = now;
          break;
        default:
          break;
      }
      return j;
    });
    if (isFinalState(state)) {
      this.#live.delete(job.JobId);
      this.#onEnd?.(updated);
    } else if (live) {
      live.reads = 0;
      live.since = nowMs;
      this.#schedule(job.JobId, live);
    }
    return updated;
  }

  #failureOf(job: MediaJob): { code: string; message: string } {
    const outcome = this.#outcome(job);
    return outcome.state === 'Failed' ? outcome : FORCED_FAILURE;
  }

  #templateAnimation(templateId: string | undefined): Animation | undefined {
    return templateId === undefined ? undefined : this.#store.getTemplate(templateId)?.TransTpl;
  }
}

/** Adds an entry to a binary min-heap ordered by `at`. */
function heapPush(heap: Due[], entry: Due): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.at <= entry.at) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = entry;
}

/** Removes and returns the earliest entry of a non-empty min-heap. */
function heapPop(heap: Due[]): Due {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length) {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1]!.at < heap[left]!.at ? left + 1 : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
