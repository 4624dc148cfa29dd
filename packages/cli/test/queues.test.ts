/** `ci-media queues list|update` in-process against a recording fake fetch. */
import { ACCESS_DENIED_BODY } from './fixtures';
import { routeFetch, runCli, type RecordedRequest } from './helpers';
import { normalizeXml, recording } from './recordings';

const QUEUE_ID = 'p8eb46b8cc1a94bc09512d16c5c4f4d3a';

function queueXml(id: string, extra = ''): string {
  return `<QueueList><QueueID>${id}</QueueID><Name>queue-${id}</Name><State>Active</State><MaxSize>10000</MaxSize><MaxConcurrent>10</MaxConcurrent>${extra}<UpdateTime>2024-05-01T10:00:00+0800</UpdateTime></QueueList>`;
}

function queuePage(ids: readonly string[], total: number, page: number, size: number): string {
  return `<Response><RequestId>r</RequestId><TotalCount>${total}</TotalCount><PageNumber>${page}</PageNumber><PageSize>${size}</PageSize>${ids.map((id) => queueXml(id)).join('')}</Response>`;
}

const query = (req: RecordedRequest): Record<string, string> => Object.fromEntries(req.url.searchParams);

describe('ci-media queues list', () => {
  it('sends GET /queue and prints the recorded page as a table', async () => {
    const rec = recording('DescribeMediaQueues', 'paged');
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['queues', 'list'], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.url.pathname).toBe('/queue');
    expect(query(requests[0]!)).toEqual({});
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^QUEUE ID\s+NAME\s+STATE$/), expect.stringMatching(/^B\s+-\s+Paused$/)]);
  });

  it('maps the filters to their wire names', async () => {
    const { fetch, requests } = routeFetch(() => ({ body: queuePage([], 0, 2, 5) }));
    const r = await runCli(
      [
        'queues',
        'list',
        '--queue-ids',
        'a,b',
        '--queue-ids',
        'c',
        '--state',
        'paused',
        '--category',
        'transcoding',
        '--page-number',
        '2',
        '--page-size',
        '5',
      ],
      { fetch },
    );
    expect(r.code).toBe(0);
    expect(query(requests[0]!)).toEqual({ queueIds: 'a,b,c', state: 'Paused', category: 'Transcoding', pageNumber: '2', pageSize: '5' });
    expect(r.stdout).toBe('No queues.\n');
  });

  it('shows every column the service filled, and the way to the next page', async () => {
    const notify = '<NotifyConfig><State>On</State><Url>https://example.com/cb</Url><Event>TaskFinish</Event></NotifyConfig>';
    const body = queuePage(['q1', 'q2'], 5, 1, 2).replace('<UpdateTime>', `${notify}<UpdateTime>`);
    const { fetch } = routeFetch(() => ({ body }));
    const r = await runCli(['queues', 'list', '--page-size', '2'], { fetch });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^QUEUE ID\s+NAME\s+STATE\s+MAX SIZE\s+CONCURRENT\s+NOTIFY\s+UPDATED$/);
    expect(lines[1]).toMatch(
      /^q1\s+queue-q1\s+Active\s+10000\s+10\s+On https:\/\/example\.com\/cb TaskFinish\s+2024-05-01T10:00:00\+0800$/,
    );
    expect(lines[3]).toBe('Page 1 of 3 (5 queues); next: --page-number 2');
  });

  it('--queue-ids with ids that do not exist: the queues found, then an error, exit 1', async () => {
    const rec = recording('DescribeMediaQueues', 'by-ids');
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['queues', 'list', '--queue-ids', 'A,B,C'], { fetch });
    expect(query(requests[0]!)).toEqual({ queueIds: 'A,B,C' });
    expect(r.stdout).toMatch(/^QUEUE ID\s+NAME\s+STATE\nA\s+-\s+Active\n$/);
    expect(r.stderr).toBe('error: no such queue: B, C\n');
    expect(r.code).toBe(1);

    const json = await runCli(['queues', 'list', '--queue-ids', 'A,B,C', '--json'], { fetch });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      QueueList: [{ QueueId: 'A', State: 'Active' }],
      NonExistPIDs: ['B', 'C'],
    });
  });

  it('--all fetches page after page by pageNumber', async () => {
    const { fetch, requests } = routeFetch((req) => {
      const page = Number(req.url.searchParams.get('pageNumber'));
      return { body: queuePage(page === 1 ? ['q1', 'q2'] : ['q3'], 3, page, 2) };
    });
    const r = await runCli(['queues', 'list', '--all', '--page-size', '2', '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(requests.map((q) => query(q))).toEqual([
      { pageNumber: '1', pageSize: '2' },
      { pageNumber: '2', pageSize: '2' },
    ]);
    const doc = JSON.parse(r.stdout) as { QueueList: { QueueId: string }[] };
    expect(doc.QueueList.map((q) => q.QueueId)).toEqual(['q1', 'q2', 'q3']);
    expect(r.stderr).toBe('fetched 3 queues in 2 pages\n');

    const table = await runCli(['queues', 'list', '--all', '--page-size', '2'], { fetch });
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(table.stdout).not.toContain('Page ');
  });

  it('a service error exits 1', async () => {
    const { fetch } = routeFetch(() => ({ status: 403, body: ACCESS_DENIED_BODY }));
    const r = await runCli(['queues', 'list'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: AccessDenied: Access Denied\. \(request id .+, HTTP 403\)\n$/);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['queues', 'list', '--state', 'Running'])).stderr).toContain('expected one of Active, Paused');
    expect((await runCli(['queues', 'list', '--page-size', '101'])).code).toBe(2);
    expect((await runCli(['queues', 'list', '--queue-ids', 'a,'])).code).toBe(2);
  });
});

describe('ci-media queues update', () => {
  const rec = recording('UpdateMediaQueue', 'doc-sample');
  const RECORDED_BODY = {
    Name: 'My-Queue-Media',
    State: 'Active',
    NotifyConfig: { State: 'On', Url: 'http://callback.demo.com', Type: 'Url', Event: 'TaskFinish,WorkflowFinish', ResultFormat: 'JSON' },
  };
  const current = (extra = ''): string =>
    `<Response><TotalCount>1</TotalCount>${queueXml(QUEUE_ID, `<NotifyConfig><State>On</State><Url>http://old.example.com</Url><Event>TaskFinish</Event><MqMode></MqMode>${extra}</NotifyConfig>`)}</Response>`;
  /** GET /queue answers the current queue, PUT the recorded response. */
  const service = (currentBody = current()): ReturnType<typeof routeFetch> =>
    routeFetch((req) => (req.method === 'GET' ? { body: currentBody } : req.method === 'PUT' ? rec.response : undefined));

  it('--input -: the recorded body, sent to PUT /queue/<id>; the queue printed', async () => {
    const { fetch, requests } = service();
    const r = await runCli(['queues', 'update', QUEUE_ID, '--input', '-'], { fetch, stdin: JSON.stringify(RECORDED_BODY) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(1); // the document is the body: nothing fetched first
    expect(requests[0]!.method).toBe('PUT');
    expect(requests[0]!.rawUrl).toBe(`https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com/queue/${QUEUE_ID}`);
    expect(requests[0]!.body).toBe(normalizeXml(rec.requestBody));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^QUEUE ID\s+NAME\s+STATE\s+NOTIFY$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${QUEUE_ID}\\s+My-Queue-Media\\s+Active\\s+http://callback\\.demo\\.com TaskFinish,WorkflowFinish$`),
    );
  });

  it('the same body from flags alone (every member given: the current values are all replaced)', async () => {
    const { fetch, requests } = service();
    const r = await runCli(
      // the flags are paired with their values, one pair per line
      // prettier-ignore
      [
        'queues', 'update', QUEUE_ID,
        '--name', 'My-Queue-Media', '--state', 'active',
        '--notify-state', 'on', '--notify-url', 'http://callback.demo.com', '--notify-type', 'url',
        '--notify-event', 'TaskFinish,workflowfinish', '--notify-format', 'json',
      ],
      { fetch },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.method)).toEqual(['GET', 'PUT']);
    expect(query(requests[0]!)).toEqual({ queueIds: QUEUE_ID });
    expect(requests[1]!.body).toBe(normalizeXml(rec.requestBody));
  });

  it('without --input the flags change the current queue: the rest is sent back as it is (empty values left out)', async () => {
    const { fetch, requests } = service();
    const r = await runCli(['queues', 'update', QUEUE_ID, '--state', 'Paused', '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(requests[1]!.body).toBe(
      `<Request><Name>queue-${QUEUE_ID}</Name><State>Paused</State>` +
        '<NotifyConfig><State>On</State><Url>http://old.example.com</Url><Event>TaskFinish</Event></NotifyConfig></Request>',
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      RequestId: 'NTk0MjdmODlfMjQ4OGY3XzYzYzhf****',
      Queue: { QueueId: QUEUE_ID, Name: 'My-Queue-Media' },
    });
  });

  it('--input with flags: the flags win', async () => {
    const { fetch, requests } = service();
    const r = await runCli(['queues', 'update', QUEUE_ID, '--input', '-', '--state', 'Paused'], {
      fetch,
      stdin: JSON.stringify(RECORDED_BODY),
    });
    expect(r.code).toBe(0);
    expect(requests[0]!.body).toBe(normalizeXml(rec.requestBody).replace('<State>Active</State>', '<State>Paused</State>'));
  });

  it('an unknown queue: exit 1, nothing updated', async () => {
    const { fetch, requests } = service(
      '<Response><TotalCount>0</TotalCount><NonExistPIDs><QueueID>nope</QueueID></NonExistPIDs></Response>',
    );
    const r = await runCli(['queues', 'update', 'nope', '--state', 'Paused'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no such queue: nope\n');
    expect(requests.map((q) => q.method)).toEqual(['GET']);
  });

  it('nothing to change, a path parameter in the document, a missing required member: clear errors, nothing sent', async () => {
    const { fetch, requests } = service();
    const none = await runCli(['queues', 'update', QUEUE_ID], { fetch });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: nothing to change: give --name, --state, --notify-… flags, or the body with --input');

    const withId = await runCli(['queues', 'update', QUEUE_ID, '--input', '-'], {
      fetch,
      stdin: JSON.stringify({ ...RECORDED_BODY, queueId: 'other' }),
    });
    expect(withId.code).toBe(2);
    expect(withId.stderr).toContain(
      'error: --input - (standard input): unknown member "queueId" (a URL parameter: give it on the command line); the UpdateMediaQueue body has Name, QueueID, State, NotifyConfig\n',
    );

    const noState = await runCli(['queues', 'update', QUEUE_ID, '--input', '-'], {
      fetch,
      stdin: '{"Name": "x", "NotifyConfig": {"State": "Maybe"}}',
    });
    expect(noState.code).toBe(1);
    expect(noState.stderr).toContain('error: Invalid UpdateMediaQueue input\n');
    expect(noState.stderr).toContain("  /: must have required property 'State'\n");
    expect(noState.stderr).toContain('  /NotifyConfig/State: must be equal to one of the allowed values: ["On","Off"]\n');
    expect(requests).toHaveLength(0);
  });
});
