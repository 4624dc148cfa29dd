/**
 * The deadline of one call: its time-out (`timeoutMs`) and the caller's AbortSignal as one signal, and the
 * race every await of the call goes through, so that a credentials provider that never answers, a fetch
 * that ignores its signal or a body that stalls cannot outlive the call.
 */
import { CiAbortError, CiTimeoutError, type CiError } from './errors';

const noop = (): void => undefined;
/** The longest delay setTimeout keeps (2^31 − 1 ms, 24.8 days): a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A call's deadline. Create one per call and {@link CallDeadline.dispose} it when the call ends. */
export class CallDeadline {
  /** Fires when the time-out passes or the caller's signal fires; given to fetch. */
  readonly signal: AbortSignal;
  /** The call's budget, in milliseconds. */
  readonly timeoutMs: number;
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onCallerAbort = (): void => this.#controller.abort(this.#caller?.reason);

  /**
   * Starts the clock. `timeoutMs` in milliseconds (>= 1; beyond 2^31 − 1, about 24.8 days, it is that). The timer is not unref'd: a call waiting only on
   * its deadline (a provider that never answers) still ends with a {@link CiTimeoutError} instead of the
   * process exiting under it; {@link dispose} clears it.
   */
  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.#caller = caller;
    this.signal = this.#controller.signal;
    this.#timer = setTimeout(() => this.#controller.abort(new CiTimeoutError(timeoutMs)), Math.min(timeoutMs, MAX_TIMER_MS));
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** Whether the deadline has fired. */
  get fired(): boolean {
    return this.signal.aborted;
  }

  /**
   * The typed error of a fired deadline: {@link CiAbortError} (cause: the caller's reason) when the caller
   * aborted, else {@link CiTimeoutError} (cause: `cause`, e.g. the fetch error the time-out provoked).
   */
  error(cause?: unknown): CiError {
    if (this.#caller?.aborted) return new CiAbortError('The request was aborted', { cause: this.#caller.reason });
    return new CiTimeoutError(this.timeoutMs, cause === undefined ? undefined : { cause });
  }

  /** Throws {@link error} when the deadline has fired. */
  throwIfFired(): void {
    if (this.fired) throw this.error();
  }

  /**
   * Settles as `work` does, or rejects with {@link error} as soon as the deadline fires, whichever comes
   * first. When the deadline wins, `onAbandon` runs (to cancel a body reader, release a late response), and
   * a later rejection of `work` is ignored. Nothing stays registered once the race is decided.
   */
  race<T>(work: PromiseLike<T>, onAbandon?: () => void): Promise<T> {
    if (this.fired) {
      Promise.resolve(work).then(noop, noop);
      onAbandon?.();
      return Promise.reject(this.error());
    }
    return new Promise<T>((resolve, reject) => {
      const onFire = (): void => {
        onAbandon?.();
        reject(this.error());
      };
      this.signal.addEventListener('abort', onFire, { once: true });
      Promise.resolve(work).then(
        (value) => {
          this.signal.removeEventListener('abort', onFire);
          resolve(value);
        },
        (err: unknown) => {
          this.signal.removeEventListener('abort', onFire);
          reject(err);
        },
      );
    });
  }

  /**
   * Waits `ms` milliseconds (at most 2^31 − 1), or rejects with {@link error} when the deadline fires first
   * (the timer is cleared).
   */
  sleep(ms: number): Promise<void> {
    if (this.fired) return Promise.reject(this.error());
    if (!(ms > 0)) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    return this.race(
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(ms, MAX_TIMER_MS));
      }),
      () => clearTimeout(timer),
    );
  }

  /** Ends the deadline: clears its timer and stops listening to the caller's signal. Idempotent. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}
