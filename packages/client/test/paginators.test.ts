/**
 * The paginators and the job waiter as functions of any client (an OperationSender): what each sends (operation,
 * input, options), when it stops, and the waiter's delays, checks and errors, pinned with a recording sender and
 * jest's fake clock.
 */
import {
  CiAbortError,
  CiDecodeError,
  CiJobFailedError,
  CiTimeoutError,
  CiValidationError,
  describeMediaJob,
  describeMediaJobs,
  describeMediaQueues,
  describeMediaTemplates,
  paginateMediaJobPages,
  paginateMediaJobs,
  paginateMediaQueuePages,
  paginateMediaQueues,
  paginateMediaTemplatePages,
  paginateMediaTemplates,
  waitForMediaJob,
  type OperationSender,
} from '../src';

interface Sent {
  readonly operation: unknown;
  readonly input: Record<string, unknown>;
  readonly options: unknown;
  readonly at: number;
}

/** A sender answering each call with the next of `answers` (a value, or an Error to reject with). */
function sender(answers: unknown[]): { client: OperationSender; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = {
    send: async (operation: unknown, input: unknown, options?: unknown) => {
      sent.push({ operation, input: input as Record<string, unknown>, options, at: Date.now() });
      if (answers.length === 0) throw new Error('unexpected call');
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as OperationSender;
  return { client, sent };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const job = (state: string, extra: Record<string, unknown> = {}) => ({ JobId: 'j1', State: state, Code: 'Success', Message: '', ...extra });

describe('paginateMediaJobPages / paginateMediaJobs', () => {
  test('send DescribeMediaJobs with the input and each NextToken, the call options passed through', async () => {
    const options = { timeoutMs: 5000 };
    const { client, sent } = sender([
      { JobsDetail: [{ JobId: 'a' }], NextToken: 't1' },
      { JobsDetail: [{ JobId: 'b' }, { JobId: 'c' }], NextToken: '' },
    ]);
    const jobs = await collect(paginateMediaJobs(client, { queueId: 'q', tag: 'Animation' }, options));
    expect(jobs).toStrictEqual([{ JobId: 'a' }, { JobId: 'b' }, { JobId: 'c' }]);
    expect(sent.map((s) => s.operation)).toStrictEqual([describeMediaJobs, describeMediaJobs]);
    expect(sent.map((s) => s.input)).toStrictEqual([
      { queueId: 'q', tag: 'Animation', nextToken: undefined },
      { queueId: 'q', tag: 'Animation', nextToken: 't1' },
    ]);
    expect(sent.map((s) => s.options)).toStrictEqual([options, options]);
  });

  test("start from the input's nextToken", async () => {
    const { client, sent } = sender([{ JobsDetail: [], NextToken: undefined }]);
    const pages = await collect(paginateMediaJobPages(client, { queueId: 'q', tag: 'Animation', nextToken: 'from' }));
    expect(pages).toStrictEqual([{ JobsDetail: [], NextToken: undefined }]);
    expect(sent[0]!.input).toStrictEqual({ queueId: 'q', tag: 'Animation', nextToken: 'from' });
    expect(sent[0]!.options).toBeUndefined();
  });

  test('count the JobsDetail of each page: 100 empty pages in a row, each with a new token, stop', async () => {
    const answers = Array.from({ length: 100 }, (_, i) => ({ JobsDetail: [], NextToken: `t${i}` }));
    const { client, sent } = sender(answers);
    const err = await collect(paginateMediaJobPages(client, { queueId: 'q', tag: 'Animation' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect((err as Error).message).toBe(
      'The service returned 100 empty pages in a row, each with a new NextToken; paging stopped (maxEmptyPages 100)',
    );
    expect(sent).toHaveLength(100);
  });
});

describe('paginateMediaTemplatePages / paginateMediaQueuePages', () => {
  test.each([
    ['templates', paginateMediaTemplatePages, paginateMediaTemplates, describeMediaTemplates, 'TemplateList'],
    ['queues', paginateMediaQueuePages, paginateMediaQueues, describeMediaQueues, 'QueueList'],
  ] as const)('%s: page numbers from 1, pages of 10 by default, until TotalCount', async (_, pages, items, operation, list) => {
    const full = Array.from({ length: 10 }, (_, i) => ({ Name: `n${i}` }));
    const { client, sent } = sender([
      { [list]: full, TotalCount: 12 },
      { [list]: [{ Name: 'x' }, { Name: 'y' }], TotalCount: 12 },
    ]);
    const got = await collect<unknown>(items(client as never, { tag: 'Animation' } as never, { timeoutMs: 1000 }));
    expect(got).toStrictEqual([...full, { Name: 'x' }, { Name: 'y' }]);
    expect(sent.map((s) => s.operation)).toStrictEqual([operation, operation]);
    expect(sent.map((s) => s.input)).toStrictEqual([
      { tag: 'Animation', pageNumber: 1 },
      { tag: 'Animation', pageNumber: 2 },
    ]);
    expect(sent.map((s) => s.options)).toStrictEqual([{ timeoutMs: 1000 }, { timeoutMs: 1000 }]);
    // without an input: page 1, pageSize 10 (a page of 10 without TotalCount asks for the next one)
    const bare = sender([{ [list]: full }, { [list]: [{ Name: 'z' }] }]);
    expect(await collect<unknown>(pages(bare.client as never))).toHaveLength(2);
    expect(bare.sent.map((s) => s.input)).toStrictEqual([{ pageNumber: 1 }, { pageNumber: 2 }]);
    expect(bare.sent[0]!.options).toBeUndefined();
  });

  test.each([
    ['templates', paginateMediaTemplatePages, 'TemplateList'],
    ['queues', paginateMediaQueuePages, 'QueueList'],
  ] as const)("%s: the input's pageSize and pageNumber are used, pages skipped counted towards TotalCount", async (_, pages, list) => {
    // from page 3 of pages of 2 with TotalCount 7: 4 items skipped, then 2 + 1 = 7
    const { client, sent } = sender([
      { [list]: [{}, {}], TotalCount: 7 },
      { [list]: [{}], TotalCount: 7 },
    ]);
    expect(await collect<unknown>(pages(client as never, { pageSize: 2, pageNumber: 3 } as never))).toHaveLength(2);
    expect(sent.map((s) => s.input)).toStrictEqual([
      { pageSize: 2, pageNumber: 3 },
      { pageSize: 2, pageNumber: 4 },
    ]);
    // a full page of 2 without TotalCount goes on; a short one ends
    const noTotal = sender([{ [list]: [{}, {}] }, { [list]: [{}] }]);
    expect(await collect<unknown>(pages(noTotal.client as never, { pageSize: 2 } as never))).toHaveLength(2);
  });
});

describe('waitForMediaJob', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** Runs the wait to its end on the fake clock; resolves with its result or its error. */
  async function settle<T>(wait: Promise<T>): Promise<T | unknown> {
    const done = wait.then(
      (v) => v,
      (e: unknown) => e,
    );
    for (let i = 0; i < 1000 && (await Promise.race([done.then(() => true), Promise.resolve(false)])) === false; i++) {
      await jest.advanceTimersByTimeAsync(50);
    }
    return done;
  }

  test('poll DescribeMediaJob for the one job, with only the signal as options, until Success', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const { client, sent } = sender([
      { JobsDetail: [job('Submitted')] },
      { JobsDetail: [job('Running')] },
      { JobsDetail: [job('Success')] },
    ]);
    const polls: Array<[string, number]> = [];
    const result = await settle(waitForMediaJob(client, 'j1', { minDelayMs: 100, onPoll: (j, n) => polls.push([j.State, n]) }));
    expect(result).toStrictEqual(job('Success'));
    expect(polls).toStrictEqual([
      ['Submitted', 1],
      ['Running', 2],
      ['Success', 3],
    ]);
    expect(sent.map((s) => [s.operation, s.input, s.options])).toStrictEqual([
      [describeMediaJob, { jobIds: ['j1'] }, undefined],
      [describeMediaJob, { jobIds: ['j1'] }, undefined],
      [describeMediaJob, { jobIds: ['j1'] }, undefined],
    ]);
    const signal = new AbortController().signal;
    const withSignal = sender([{ JobsDetail: [job('Success')] }]);
    await waitForMediaJob(withSignal.client, 'j1', { signal });
    expect(withSignal.sent[0]!.options).toStrictEqual({ signal });
  });

  test('the job is found by its JobId among the JobsDetail', async () => {
    const { client } = sender([{ JobsDetail: [job('Running', { JobId: 'other' }), job('Success')] }]);
    expect(await waitForMediaJob(client, 'j1')).toStrictEqual(job('Success'));
  });

  test('delays double from minDelayMs up to maxDelayMs, drawn between minDelayMs and the cap', async () => {
    const running = () => ({ JobsDetail: [job('Running')] });
    // random 0: every delay is minDelayMs
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const low = sender([running(), running(), running(), { JobsDetail: [job('Success')] }]);
    await settle(waitForMediaJob(low.client, 'j1', { minDelayMs: 100, maxDelayMs: 1000 }));
    expect(low.sent.map((s) => s.at - 1_000_000)).toStrictEqual([0, 100, 200, 300]);
    // random 0.5: halfway between minDelayMs and the cap, 100 · 2^(n−1) up to 350
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const start = Date.now();
    const high = sender([running(), running(), running(), running(), { JobsDetail: [job('Success')] }]);
    await settle(waitForMediaJob(high.client, 'j1', { minDelayMs: 100, maxDelayMs: 350 }));
    const gaps = high.sent.map((s, i) => (i === 0 ? 0 : s.at - high.sent[i - 1]!.at));
    expect(gaps).toStrictEqual([0, 100, 150, 225, 225]);
    expect(high.sent[0]!.at).toBe(start);
    // by default: 1000 ms first, then up to 15 s (still random 0.5: 1000, then 1000 + 0.5 · 1000)
    const defaults = sender([running(), running(), { JobsDetail: [job('Success')] }]);
    const t0 = Date.now();
    await settle(waitForMediaJob(defaults.client, 'j1'));
    expect(defaults.sent.map((s) => s.at - t0)).toStrictEqual([0, 1000, 2500]);
    // a minDelayMs above 15 s raises the default cap with it
    const slow = sender([running(), running(), { JobsDetail: [job('Success')] }]);
    const t1 = Date.now();
    await settle(waitForMediaJob(slow.client, 'j1', { minDelayMs: 20_000 }));
    expect(slow.sent.map((s) => s.at - t1)).toStrictEqual([0, 20_000, 40_000]);
  });

  test('the last delay ends at the deadline, where one more poll is made; then a CiTimeoutError naming the last state', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const running = () => ({ JobsDetail: [job('Running')] });
    const { client, sent } = sender([running(), running(), running(), running()]);
    const t0 = Date.now();
    const err = await settle(waitForMediaJob(client, 'j1', { minDelayMs: 400, maxWaitSeconds: 1 }));
    expect(sent.map((s) => s.at - t0)).toStrictEqual([0, 400, 800, 1000]);
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect((err as CiTimeoutError).message).toBe('Job j1 did not finish within 1 s (last state Running)');
    expect((err as CiTimeoutError).timeoutMs).toBe(1000);
  });

  test('Failed and Cancel end with a CiJobFailedError carrying the Code and Message; an unknown job is NonExistent', async () => {
    const failed = sender([{ JobsDetail: [job('Failed', { Code: 'InvalidInput', Message: 'bad input' })] }]);
    const err = (await waitForMediaJob(failed.client, 'j1').catch((e: unknown) => e)) as CiJobFailedError;
    expect(err).toBeInstanceOf(CiJobFailedError);
    expect([err.jobId, err.state, err.code, err.jobMessage, err.message]).toStrictEqual([
      'j1',
      'Failed',
      'InvalidInput',
      'bad input',
      'Job j1 ended in state Failed: InvalidInput bad input',
    ]);
    const cancelled = sender([{ JobsDetail: [job('Cancel', { Code: 'JobCancelled', Message: 'by user' })] }]);
    const cancel = (await waitForMediaJob(cancelled.client, 'j1').catch((e: unknown) => e)) as CiJobFailedError;
    expect([cancel.state, cancel.code, cancel.jobMessage]).toStrictEqual(['Cancel', 'JobCancelled', 'by user']);
    const none = sender([{ JobsDetail: [job('Running', { JobId: 'other' })] }]);
    const missing = (await waitForMediaJob(none.client, 'j1').catch((e: unknown) => e)) as CiJobFailedError;
    expect(missing).toBeInstanceOf(CiJobFailedError);
    expect([missing.state, missing.message]).toStrictEqual(['NonExistent', 'Job j1 ended in state NonExistent The job does not exist']);
  });

  test.each([
    ['', {}, 'waitForMediaJob needs a job id', [{ path: 'jobId', message: 'is empty' }]],
    ['j1', { maxWaitSeconds: 0 }, 'Invalid wait options', [{ path: 'maxWaitSeconds', message: 'must be > 0, delays >= 0' }]],
    ['j1', { maxWaitSeconds: Number.NaN }, 'Invalid wait options', [{ path: 'maxWaitSeconds', message: 'must be > 0, delays >= 0' }]],
    ['j1', { minDelayMs: -1 }, 'Invalid wait options', [{ path: 'maxWaitSeconds', message: 'must be > 0, delays >= 0' }]],
    ['j1', { minDelayMs: 50, maxDelayMs: 49 }, 'Invalid wait options', [{ path: 'maxDelayMs', message: 'must be >= minDelayMs' }]],
  ])('a bad job id or option (%j, %j) is a CiValidationError before any poll', async (jobId, options, message, issues) => {
    const { client, sent } = sender([]);
    const err = (await waitForMediaJob(client, jobId, options).catch((e: unknown) => e)) as CiValidationError;
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err.summary).toBe(message);
    expect(err.issues).toStrictEqual(issues);
    expect(sent).toHaveLength(0);
  });

  test('equal minDelayMs and maxDelayMs, and a minDelayMs of 0, are accepted', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { client, sent } = sender([{ JobsDetail: [job('Running')] }, { JobsDetail: [job('Success')] }]);
    const t0 = Date.now();
    await settle(waitForMediaJob(client, 'j1', { minDelayMs: 50, maxDelayMs: 50 }));
    expect(sent.map((s) => s.at - t0)).toStrictEqual([0, 50]);
    const zero = sender([{ JobsDetail: [job('Running')] }, { JobsDetail: [job('Success')] }]);
    const t1 = Date.now();
    await settle(waitForMediaJob(zero.client, 'j1', { minDelayMs: 0, maxDelayMs: 100 }));
    expect(zero.sent.map((s) => s.at - t1)).toStrictEqual([0, 0]);
  });

  test('an abort before a poll, during a delay or during a poll is a CiAbortError with the reason; no poll follows', async () => {
    const reason = new Error('stop');
    const before = new AbortController();
    before.abort(reason);
    const idle = sender([]);
    const first = (await waitForMediaJob(idle.client, 'j1', { signal: before.signal }).catch((e: unknown) => e)) as CiAbortError;
    expect(first).toBeInstanceOf(CiAbortError);
    expect([first.message, first.cause]).toStrictEqual(['Stopped waiting for job j1', reason]);
    expect(idle.sent).toHaveLength(0);

    // during the delay: the wait ends at once (not when the delay would have), and the timer is cleared
    const during = new AbortController();
    const { client, sent } = sender([{ JobsDetail: [job('Running')] }, { JobsDetail: [job('Success')] }]);
    const wait = waitForMediaJob(client, 'j1', { signal: during.signal, minDelayMs: 10_000 }).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(10);
    during.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    const second = (await wait) as CiAbortError;
    expect(second).toBeInstanceOf(CiAbortError);
    expect(second.cause).toBe(reason);
    expect(sent).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);

    // a poll that fails because of the abort: the abort is what is reported
    const polling = new AbortController();
    const failing = {
      send: async () => {
        polling.abort(reason);
        throw new Error('fetch aborted');
      },
    } as unknown as OperationSender;
    const third = (await waitForMediaJob(failing, 'j1', { signal: polling.signal }).catch((e: unknown) => e)) as CiAbortError;
    expect(third).toBeInstanceOf(CiAbortError);
    expect(third.cause).toBe(reason);
  });

  test("a poll's own error, without an abort, is the wait's error; a finished delay leaves no listener", async () => {
    const boom = new CiDecodeError('bad page');
    const { client } = sender([boom]);
    await expect(waitForMediaJob(client, 'j1', { signal: new AbortController().signal })).rejects.toBe(boom);
    const noSignal = sender([boom]);
    await expect(waitForMediaJob(noSignal.client, 'j1')).rejects.toBe(boom);

    const controller = new AbortController();
    const removed = jest.spyOn(controller.signal, 'removeEventListener');
    const two = sender([{ JobsDetail: [job('Running')] }, { JobsDetail: [job('Success')] }]);
    await settle(waitForMediaJob(two.client, 'j1', { signal: controller.signal, minDelayMs: 100 }));
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(jest.getTimerCount()).toBe(0);
  });
});
