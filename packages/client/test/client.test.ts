/** CiMediaClient: configuration, paginators and the job waiter, against a stub fetch. */
import { inspect } from 'node:util';
import {
  CiAbortError,
  CiDecodeError,
  CiJobFailedError,
  CiMediaClient,
  CiTimeoutError,
  CiValidationError,
  ciEndpoint,
  operationTable,
} from '../src';

const CREDS = { secretId: 'AKIDclienttest0000000000000000000000', secretKey: 'client-test-secret-not-real' };

function jobXml(id: string, state: string, extra = ''): string {
  return `<JobsDetail><Code>${state === 'Failed' ? 'InvalidInput' : 'Success'}</Code><Message>${state === 'Failed' ? 'bad input' : ''}</Message><JobId>${id}</JobId><State>${state}</State><Tag>Animation</Tag><Input><Object>a.mp4</Object></Input>${extra}</JobsDetail>`;
}

function client(bodies: Array<string | ((url: URL) => string)>) {
  const urls: URL[] = [];
  const fetch = (async (url: string) => {
    urls.push(new URL(url));
    const next = bodies.shift();
    if (next === undefined) throw new Error('unexpected request');
    const body = typeof next === 'function' ? next(new URL(url)) : next;
    return new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } });
  }) as unknown as typeof globalThis.fetch;
  return {
    ci: new CiMediaClient({
      bucket: 'examplebucket-1250000000',
      region: 'ap-beijing',
      credentials: CREDS,
      fetch,
      validateResponses: 'strict',
    }),
    urls,
  };
}

describe('configuration', () => {
  test('the default endpoint comes from bucket and region; bad ones are refused', () => {
    expect(ciEndpoint('examplebucket-1250000000', 'ap-beijing')).toBe('https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com');
    expect(() => new CiMediaClient({ bucket: 'no-appid', region: 'ap-beijing', credentials: CREDS })).toThrow(CiValidationError);
    expect(() => new CiMediaClient({ bucket: 'examplebucket-1250000000', region: 'AP BEIJING', credentials: CREDS })).toThrow(/region/);
    expect(new CiMediaClient({ endpoint: 'http://127.0.0.1:9000/', credentials: CREDS }).endpoint).toBe('http://127.0.0.1:9000');
  });

  test('util.inspect and JSON of the client show no secret', () => {
    const { ci } = client([]);
    const shown = inspect(ci, { depth: 10, showHidden: true }) + JSON.stringify(ci);
    expect(shown).not.toContain(CREDS.secretKey);
    expect(shown).toContain('examplebucket-1250000000');
  });
});

describe('paginateMediaJobs', () => {
  test('yields every job across pages, passing NextToken', async () => {
    const { ci, urls } = client([
      `<Response>${jobXml('j1', 'Success')}${jobXml('j2', 'Success')}<NextToken>t1</NextToken></Response>`,
      `<Response>${jobXml('j3', 'Running')}<NextToken></NextToken></Response>`,
    ]);
    const ids: string[] = [];
    for await (const job of ci.paginateMediaJobs({ queueId: 'q', tag: 'Animation', size: 2 })) ids.push(job.JobId);
    expect(ids).toEqual(['j1', 'j2', 'j3']);
    expect(urls.map((u) => u.searchParams.get('nextToken'))).toEqual([null, 't1']);
  });
});

describe('paginateMediaJobs: hostile paging', () => {
  test('empty pages that each carry a new NextToken stop with a CiDecodeError after 100, not forever', async () => {
    let n = 0;
    const { ci, urls } = client(Array.from({ length: 150 }, () => () => `<Response><NextToken>t${++n}</NextToken></Response>`));
    const err = await (async () => {
      for await (const _ of ci.paginateMediaJobs({ queueId: 'q', tag: 'Animation' }));
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect(urls).toHaveLength(100);
  });

  test.each(['   ', '\n', '\t '])('a NextToken of only whitespace (%j) ends the listing', async (blank) => {
    const { ci, urls } = client([`<Response>${jobXml('j1', 'Success')}<NextToken>${blank}</NextToken></Response>`]);
    const ids: string[] = [];
    for await (const job of ci.paginateMediaJobs({ queueId: 'q', tag: 'Animation' })) ids.push(job.JobId);
    expect(ids).toEqual(['j1']);
    expect(urls).toHaveLength(1);
  });
});

describe('send', () => {
  test.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '', 'describeMediaJobs', 'Nope'])(
    'send(%j) is a typed CiValidationError, and nothing is sent',
    async (name) => {
      const { ci, urls } = client([]);
      const err = await ci.send(name as never, {} as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CiValidationError);
      expect((err as CiValidationError).message).toMatch(/^Unknown operation/);
      expect((err as CiValidationError).issues[0]!.path).toBe('operationId');
      expect(urls).toHaveLength(0);
    },
  );

  test('a non-string operation id is refused the same way', async () => {
    const { ci } = client([]);
    for (const bad of [undefined, null, 42, Symbol('x'), {}, { toString: () => 'DescribeMediaJobs' }]) {
      await expect(ci.send(bad as never, {} as never)).rejects.toThrow(
        /^Unknown operation: an operation id is a string, not (undefined|object|number|symbol)/,
      );
    }
  });
});

describe('path ids that are dot segments', () => {
  // every path parameter of every operation in the table: `..` would make DELETE /template/.. a DELETE /
  const pathParams = Object.values(operationTable).flatMap((op) =>
    op.params.filter((p) => p.in === 'path').map((p) => [op.id, p.name, p.kind] as const),
  );
  const DOTS = ['.', '..', '%2e', '%2E', '.%2e', '%2e.', '%2E%2e'];

  test('the table has path parameters to test', () => {
    expect(pathParams.length).toBeGreaterThanOrEqual(5);
  });

  test.each(pathParams)(
    '%s {%s}: every dot-segment form is a CiValidationError naming it, nothing sent',
    async (operationId, name, kind) => {
      const { ci, urls } = client([]);
      for (const dot of DOTS) {
        const err = await ci.send(operationId as never, { [name]: kind === 'csv' ? ['j1', dot] : dot } as never).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CiValidationError);
        expect((err as CiValidationError).issues).toContainEqual(
          expect.objectContaining({ path: `/${name}`, message: expect.stringMatching(/must not be '\.' or '\.\.'/) }),
        );
      }
      expect(urls).toHaveLength(0);
    },
  );
});

describe('paginateMediaTemplates / paginateMediaQueues', () => {
  test('page numbers advance until TotalCount', async () => {
    const tpl = (id: string) => `<TemplateList><TemplateId>${id}</TemplateId><Name>n</Name><Tag>Animation</Tag></TemplateList>`;
    const { ci, urls } = client([
      `<Response><TotalCount>3</TotalCount><PageNumber>1</PageNumber><PageSize>2</PageSize>${tpl('a')}${tpl('b')}</Response>`,
      `<Response><TotalCount>3</TotalCount><PageNumber>2</PageNumber><PageSize>2</PageSize>${tpl('c')}</Response>`,
    ]);
    const ids: string[] = [];
    for await (const t of ci.paginateMediaTemplates({ tag: 'Animation', pageSize: 2 })) ids.push(t.TemplateId!);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(urls.map((u) => u.searchParams.get('pageNumber'))).toEqual(['1', '2']);
  });

  test('queues: QueueID and QueueId both decode to QueueId', async () => {
    const { ci } = client([
      '<Response><TotalCount>2</TotalCount><QueueList><QueueID>p1</QueueID><MaxSize>10</MaxSize></QueueList><QueueList><QueueId>p2</QueueId></QueueList></Response>',
    ]);
    const queues = [];
    for await (const q of ci.paginateMediaQueues()) queues.push(q);
    expect(queues).toEqual([{ QueueId: 'p1', MaxSize: 10 }, { QueueId: 'p2' }]);
  });
});

describe('waitForMediaJob', () => {
  test('polls until Success and resolves with the job', async () => {
    const { ci, urls } = client([
      `<Response>${jobXml('j1', 'Submitted')}</Response>`,
      `<Response>${jobXml('j1', 'Running')}</Response>`,
      `<Response>${jobXml('j1', 'Success')}</Response>`,
    ]);
    const states: string[] = [];
    const job = await ci.waitForMediaJob('j1', { minDelayMs: 1, maxDelayMs: 2, onPoll: (j) => states.push(j.State) });
    expect(job.State).toBe('Success');
    expect(states).toEqual(['Submitted', 'Running', 'Success']);
    expect(urls.every((u) => u.pathname === '/jobs/j1')).toBe(true);
  });

  test('rejects with the job Code and Message when it fails or is cancelled', async () => {
    const { ci } = client([`<Response>${jobXml('j1', 'Failed')}</Response>`]);
    const err = (await ci.waitForMediaJob('j1', { minDelayMs: 1 }).catch((e: unknown) => e)) as CiJobFailedError;
    expect(err).toBeInstanceOf(CiJobFailedError);
    expect(err).toMatchObject({ jobId: 'j1', state: 'Failed', code: 'InvalidInput', jobMessage: 'bad input' });
    const cancelled = client([`<Response>${jobXml('j2', 'Cancel')}</Response>`]);
    const cancel = (await cancelled.ci.waitForMediaJob('j2', { minDelayMs: 1 }).catch((e: unknown) => e)) as CiJobFailedError;
    // a cancelled job says Code=Success: not repeated as if it were the reason
    expect(cancel).toMatchObject({ state: 'Cancel', code: undefined });
    expect(cancel.message).toBe('Job j2 ended in state Cancel');
    await expect(cancelled.ci.waitForMediaJob('j2', { minDelayMs: 50, maxDelayMs: 10 })).rejects.toThrow(
      /maxDelayMs must be >= minDelayMs/,
    );
  });

  test('an unknown job is a CiJobFailedError, not an endless wait', async () => {
    const { ci } = client(['<Response><NonExistJobIds>jx</NonExistJobIds></Response>']);
    await expect(ci.waitForMediaJob('jx', { minDelayMs: 1 })).rejects.toMatchObject({ state: 'NonExistent' });
  });

  test('a job that ends by the deadline is seen by a last poll', async () => {
    const { ci, urls } = client([`<Response>${jobXml('j1', 'Running')}</Response>`, `<Response>${jobXml('j1', 'Success')}</Response>`]);
    const job = await ci.waitForMediaJob('j1', { minDelayMs: 500, maxDelayMs: 500, maxWaitSeconds: 0.05 });
    expect(job.State).toBe('Success');
    expect(urls).toHaveLength(2);
  });

  test('several ids go out comma-joined with literal commas', async () => {
    const { ci, urls } = client([`<Response>${jobXml('a b', 'Success')}<NonExistJobIds>c</NonExistJobIds></Response>`]);
    const r = await ci.describeMediaJob({ jobIds: ['a b', 'c'] });
    expect(urls[0]!.pathname).toBe('/jobs/a%20b,c');
    expect(r.NonExistJobIds).toEqual(['c']);
  });

  test('times out with CiTimeoutError naming the last state, and stops on abort with CiAbortError', async () => {
    const running = () => `<Response>${jobXml('j1', 'Running')}</Response>`;
    const { ci } = client(Array.from({ length: 100 }, () => running));
    const err = await ci.waitForMediaJob('j1', { minDelayMs: 20, maxDelayMs: 20, maxWaitSeconds: 0.1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect((err as Error).message).toMatch(/j1 did not finish within 0.1 s \(last state Running\)/);
    const controller = new AbortController();
    const pending = ci.waitForMediaJob('j1', { minDelayMs: 20, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toThrow(CiAbortError);
  });
});
