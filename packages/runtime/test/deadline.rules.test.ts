/** CallDeadline's rules with exact values: its errors and their causes, the timer clamp, sleep's edges, dispose. */
import { CiAbortError, CiTimeoutError } from '../src';
import { CallDeadline } from '../src/deadline';

const never = <T>() => new Promise<T>(() => undefined);

describe('CallDeadline', () => {
  test('error(): a CiTimeoutError with the cause given, and no cause property without one', () => {
    const d = new CallDeadline(1234);
    const plain = d.error();
    expect(plain).toBeInstanceOf(CiTimeoutError);
    expect([plain.message, (plain as CiTimeoutError).timeoutMs]).toStrictEqual(['The request timed out after 1234 ms', 1234]);
    expect(Object.prototype.hasOwnProperty.call(plain, 'cause')).toBe(false);
    const cause = new Error('fetch aborted');
    expect(d.error(cause).cause).toBe(cause);
    expect(d.fired).toBe(false);
    expect(() => d.throwIfFired()).not.toThrow();
    expect(d.timeoutMs).toBe(1234);
    d.dispose();
  });

  test("the caller's abort: the signal carries its reason, error() is a CiAbortError whatever the cause", () => {
    const controller = new AbortController();
    const d = new CallDeadline(60_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(d.fired).toBe(true);
    expect(d.signal.reason).toBe(reason);
    const err = d.error(new Error('other'));
    expect(err).toBeInstanceOf(CiAbortError);
    expect([err.message, err.cause]).toStrictEqual(['The request was aborted', reason]);
    expect(() => d.throwIfFired()).toThrow(CiAbortError);
    d.dispose();
    const early = new CallDeadline(60_000, AbortSignal.abort(reason));
    expect(early.signal.reason).toBe(reason);
    expect(early.error().cause).toBe(reason);
    early.dispose();
  });

  test('after dispose, an abort of the caller no longer fires the deadline', () => {
    const controller = new AbortController();
    const d = new CallDeadline(60_000, controller.signal);
    d.dispose();
    controller.abort();
    expect(d.fired).toBe(false);
    d.dispose();
  });

  test('the time-out fires with a CiTimeoutError as the reason; a budget past 2^31 − 1 ms does not fire at once', async () => {
    const d = new CallDeadline(10);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.fired).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(CiTimeoutError);
    expect((d.signal.reason as CiTimeoutError).timeoutMs).toBe(10);
    d.dispose();
    const long = new CallDeadline(2 ** 31 + 10);
    await new Promise((r) => setTimeout(r, 10));
    expect(long.fired).toBe(false);
    long.dispose();
  });

  test('sleep: 0, a negative or NaN delay resolve at once without a timer; a delay is waited', async () => {
    const d = new CallDeadline(60_000);
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    for (const ms of [0, -5, Number.NaN]) {
      const p = d.sleep(ms);
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
      await expect(p).resolves.toBeUndefined();
    }
    const started = performance.now();
    await d.sleep(25);
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    // a delay past 2^31 − 1 ms is that long, not 1 ms (an abort ends it, clearing its timer)
    const controller = new AbortController();
    const longer = new CallDeadline(2 ** 31 + 10, controller.signal);
    let done = false;
    const long = longer.sleep(2 ** 31 + 5).then(
      () => (done = true),
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    controller.abort();
    expect(await long).toBeInstanceOf(CiAbortError);
    d.dispose();
    longer.dispose();
  });

  test('a sleep cut short by the deadline clears its timer', async () => {
    const d = new CallDeadline(10);
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = count();
    const err = await d.sleep(60_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect(count()).toBeLessThan(before);
    d.dispose();
  });

  test('a race lost to a deadline that already fired calls onAbandon at once', async () => {
    const d = new CallDeadline(60_000, AbortSignal.abort());
    const abandon = jest.fn();
    await expect(d.race(never(), abandon)).rejects.toBeInstanceOf(CiAbortError);
    expect(abandon).toHaveBeenCalledTimes(1);
    // a race won by the work does not abandon it
    const live = new CallDeadline(60_000);
    const kept = jest.fn();
    await expect(live.race(Promise.resolve('v'), kept)).resolves.toBe('v');
    await expect(live.race(Promise.reject(new Error('e')), kept)).rejects.toThrow('e');
    expect(kept).not.toHaveBeenCalled();
    d.dispose();
    live.dispose();
  });
});
