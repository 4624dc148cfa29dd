/** CallDeadline: the race every await of a call goes through (time-out and caller's signal), with real timers. */
import { CiAbortError, CiTimeoutError } from '../src';
import { CallDeadline } from '../src/deadline';

const never = <T>() => new Promise<T>(() => undefined);
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('CallDeadline', () => {
  test('a race settles as its work does while the deadline has not fired, and leaves no listener', async () => {
    const d = new CallDeadline(5_000);
    const added = jest.spyOn(d.signal, 'addEventListener');
    const removed = jest.spyOn(d.signal, 'removeEventListener');
    await expect(d.race(Promise.resolve(1))).resolves.toBe(1);
    await expect(d.race(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(added).toHaveBeenCalledTimes(2);
    expect(removed).toHaveBeenCalledTimes(2);
    d.dispose();
  });

  test('the time-out wins over work that never settles: CiTimeoutError, onAbandon runs once', async () => {
    const d = new CallDeadline(20);
    const abandon = jest.fn();
    const started = Date.now();
    const err = await d.race(never(), abandon).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect((err as CiTimeoutError).timeoutMs).toBe(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(abandon).toHaveBeenCalledTimes(1);
    // once fired, every later race and sleep rejects at once, and the work's later rejection is ignored
    const late = Promise.reject(new Error('late'));
    await expect(d.race(late)).rejects.toBeInstanceOf(CiTimeoutError);
    await expect(d.sleep(10_000)).rejects.toBeInstanceOf(CiTimeoutError);
    expect(() => d.throwIfFired()).toThrow(CiTimeoutError);
    d.dispose();
  });

  test("the caller's signal wins: CiAbortError with the caller's reason, during a race or a sleep", async () => {
    const reason = new Error('user gave up');
    for (const wait of [(d: CallDeadline) => d.race(never()), (d: CallDeadline) => d.sleep(60_000)]) {
      const controller = new AbortController();
      const d = new CallDeadline(60_000, controller.signal);
      const pending = wait(d).catch((e: unknown) => e);
      setTimeout(() => controller.abort(reason), 5);
      const err = await pending;
      expect(err).toBeInstanceOf(CiAbortError);
      expect((err as CiAbortError).cause).toBe(reason);
      d.dispose();
    }
  });

  test('an already-aborted signal fires at once', async () => {
    const d = new CallDeadline(60_000, AbortSignal.abort('stop'));
    expect(d.fired).toBe(true);
    await expect(d.race(Promise.resolve(1))).rejects.toBeInstanceOf(CiAbortError);
    d.dispose();
  });

  test('dispose clears the timer and the listener on the caller signal; a late abandoned rejection is not unhandled', async () => {
    const controller = new AbortController();
    const removed = jest.spyOn(controller.signal, 'removeEventListener');
    const before = timers();
    const d = new CallDeadline(60_000, controller.signal);
    expect(timers()).toBe(before + 1);
    d.dispose();
    expect(timers()).toBe(before);
    expect(removed).toHaveBeenCalled();

    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const short = new CallDeadline(5);
      let rejectLater!: (e: Error) => void;
      const work = new Promise((_, reject) => (rejectLater = reject));
      await expect(short.race(work)).rejects.toBeInstanceOf(CiTimeoutError);
      rejectLater(new Error('after the deadline'));
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).not.toHaveBeenCalled();
      short.dispose();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
