/** `ci-media templates list|create|update|delete` in-process against a recording fake fetch. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeFetch, runCli, type RecordedRequest } from './helpers';
import { normalizeXml, recording } from './recordings';

const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';
const query = (req: RecordedRequest): Record<string, string> => Object.fromEntries(req.url.searchParams);

/** The body of the CreateMediaTemplate / UpdateMediaTemplate recordings as `--input` JSON. */
const RECORDED_TEMPLATE = (keyFramesOnly: 'true' | 'false'): Record<string, unknown> => ({
  Tag: 'Animation',
  Name: 'TemplateName',
  Container: { Format: 'gif' },
  Video: { Codec: 'gif', Width: '1280', Height: '', Fps: '15', AnimateOnlyKeepKeyFrame: keyFramesOnly },
  TimeInterval: { Start: '0', Duration: '60' },
});

describe('ci-media templates list', () => {
  const paged = recording('DescribeMediaTemplates', 'paged-one');

  it('sends GET /template?tag=Animation and prints the recorded page', async () => {
    const { fetch, requests } = routeFetch(() => paged.response);
    const r = await runCli(['templates', 'list'], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.url.pathname).toBe('/template');
    expect(query(requests[0]!)).toEqual({ tag: 'Animation' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^TEMPLATE ID\s+NAME\s+CATEGORY\s+FORMAT\s+CODEC\s+SIZE\s+FRAMES\s+QUALITY\s+TIME\s+UPDATED$/);
    expect(lines[1]).toMatch(
      /^t1460606b9752148c4ab182f55163ba7cd\s+gif-480p-15fps\s+Custom\s+webp\s+webp\s+480x\?\s+15\/s of input\s+80\s+1\.5s\+\s+2024-05-02T10:00:00\+0800$/,
    );
  });

  it('maps the filters to their wire names', async () => {
    const { fetch, requests } = routeFetch(() => ({ body: '<Response><TotalCount>0</TotalCount></Response>' }));
    const r = await runCli(['templates', 'list', '--name', 'gif-', '--category', 'official', '--page-number', '3', '--page-size', '20'], {
      fetch,
    });
    expect(r.code).toBe(0);
    expect(query(requests[0]!)).toEqual({ tag: 'Animation', category: 'Official', name: 'gif-', pageNumber: '3', pageSize: '20' });
    expect(r.stdout).toBe('No templates.\n');
  });

  it('--ids with ids that do not exist: the templates found, then an error, exit 1', async () => {
    const rec = recording('DescribeMediaTemplates', 'by-ids');
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['templates', 'list', '--ids', 'A,B', '--ids', 'C'], { fetch });
    expect(query(requests[0]!)).toEqual({ tag: 'Animation', ids: 'A,B,C' });
    expect(r.stdout).toMatch(
      /^TEMPLATE ID\s+NAME\s+FORMAT\s+CODEC\s+SIZE\s+FPS\s+FRAMES\s+TIME\s+UPDATED\nA\s+TemplateName\s+gif\s+gif\s+1280x\?\s+15\s+key frames\s+0s\+60s\s+/,
    );
    expect(r.stderr).toBe('error: no such template: B, C\n');
    expect(r.code).toBe(1);
  });

  it('--all --json: every page in one document', async () => {
    const template = (id: string): string =>
      `<TemplateList><TemplateId>${id}</TemplateId><Name>n-${id}</Name><Tag>Animation</Tag><TransTpl><Container><Format>gif</Format></Container></TransTpl></TemplateList>`;
    const { fetch, requests } = routeFetch((req) => {
      const page = Number(req.url.searchParams.get('pageNumber'));
      const ids = page === 1 ? ['t1', 't2'] : page === 2 ? ['t3', 't4'] : [];
      return {
        body: `<Response><TotalCount>4</TotalCount><PageNumber>${page}</PageNumber><PageSize>2</PageSize>${ids.map(template).join('')}</Response>`,
      };
    });
    const r = await runCli(['templates', 'list', '--all', '--page-size', '2', '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.url.searchParams.get('pageNumber'))).toEqual(['1', '2']);
    expect((JSON.parse(r.stdout) as { TemplateList: { TemplateId: string }[] }).TemplateList.map((t) => t.TemplateId)).toEqual([
      't1',
      't2',
      't3',
      't4',
    ]);
    expect(r.stderr).toBe('fetched 4 templates in 2 pages\n');
  });
});

describe('ci-media templates create', () => {
  const rec = recording('CreateMediaTemplate', 'animation');

  it('builds the recorded body from flags (POST /template) and prints the template', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(
      [
        'templates',
        'create',
        '--name',
        'TemplateName',
        '--format',
        'gif',
        '--width',
        '1280',
        '--fps',
        '15',
        '--key-frames-only',
        '--start',
        '0',
        '--duration',
        '60',
      ],
      { fetch },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.href).toBe(`${ENDPOINT}/template`);
    expect(requests[0]!.body).toBe(normalizeXml(rec.requestBody).replace('<Height></Height>', ''));
    expect(r.stdout).toMatch(
      /^TEMPLATE ID\s+NAME\s+FORMAT\s+CODEC\s+SIZE\s+FPS\s+FRAMES\s+TIME\s+UPDATED\n-\s+TemplateName\s+gif\s+gif\s+1280x\?\s+15\s+key frames\s+0s\+60s\s+2020-08-31T16:15:20\+0800\n$/,
    );
  });

  it('--input file.json: the recorded body exactly; --json prints the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-media-test-'));
    try {
      const file = join(dir, 'template.json');
      writeFileSync(file, JSON.stringify(RECORDED_TEMPLATE('true')));
      const { fetch, requests } = routeFetch(() => rec.response);
      const r = await runCli(['templates', 'create', '--input', file, '--json'], { fetch });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(requests[0]!.body).toBe(normalizeXml(rec.requestBody));
      expect(JSON.parse(r.stdout)).toMatchObject({
        Template: { Name: 'TemplateName', Tag: 'Animation', TransTpl: { Container: { Format: 'gif' } } },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('webp with quality; the codec follows the format', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(
      [
        'templates',
        'create',
        '--name',
        'w',
        '--format',
        'webp',
        '--quality',
        '80',
        '--frames-per-second',
        '10',
        '--frame-interval',
        '0.5',
        '--no-key-frames-only',
      ],
      { fetch },
    );
    expect(r.code).toBe(0);
    expect(requests[0]!.body).toBe(
      '<Request><Tag>Animation</Tag><Name>w</Name><Container><Format>webp</Format></Container><Video><Codec>webp</Codec>' +
        '<AnimateOnlyKeepKeyFrame>false</AnimateOnlyKeepKeyFrame><AnimateTimeIntervalOfFrame>0.5</AnimateTimeIntervalOfFrame>' +
        '<AnimateFramesPerSecond>10</AnimateFramesPerSecond><Quality>80</Quality></Video></Request>',
    );
  });

  it('usage errors and spec errors, nothing sent', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const missing = await runCli(['templates', 'create', '--width', '480'], { fetch });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: missing --name and --format (or give the body with --input)');
    const quality = await runCli(['templates', 'create', '--name', 'n', '--format', 'hgif', '--quality', '50'], { fetch });
    expect(quality.code).toBe(2);
    expect(quality.stderr).toContain('--quality applies to webp only (the container is hgif)');
    const badFormat = await runCli(['templates', 'create', '--input', '-'], {
      fetch,
      stdin: '{"Name": "n", "Container": {"Format": "png"}, "Video": {"Width": 480}}',
    });
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr.split('\n')[0]).toBe('error: Invalid CreateMediaTemplate input');
    expect(badFormat.stderr).toContain('  /Container/Format: must be equal to one of the allowed values: ["gif","hgif","webp"]\n');
    expect(badFormat.stderr).toContain('  /Video/Width: must be string\n');
    expect(requests).toHaveLength(0);
  });
});

describe('ci-media templates update', () => {
  const rec = recording('UpdateMediaTemplate', 'animation');
  const paged = recording('DescribeMediaTemplates', 'paged-one');
  const ID = 't1f16e1dfbdc994105b31292d45710642a';
  const CURRENT = 't1460606b9752148c4ab182f55163ba7cd';

  it('--input -: the recorded body, sent to PUT /template/<id>', async () => {
    const { fetch, requests } = routeFetch((req) => (req.method === 'PUT' ? rec.response : undefined));
    const r = await runCli(['templates', 'update', ID, '--input', '-'], { fetch, stdin: JSON.stringify(RECORDED_TEMPLATE('false')) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.rawUrl).toBe(`${ENDPOINT}/template/${ID}`);
    expect(requests[0]!.body).toBe(normalizeXml(rec.requestBody));
    expect(r.stdout).toMatch(new RegExp(`^TEMPLATE ID.*\\n${ID}\\s+TemplateName\\s+gif`));
  });

  it('without --input: fetches the template and changes only what the flags say', async () => {
    const { fetch, requests } = routeFetch((req) => (req.method === 'GET' ? paged.response : rec.response));
    const r = await runCli(['templates', 'update', CURRENT, '--fps', '20', '--json'], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.method)).toEqual(['GET', 'PUT']);
    expect(query(requests[0]!)).toEqual({ ids: CURRENT });
    expect(requests[1]!.url.pathname).toBe(`/template/${CURRENT}`);
    // the current parameters (TransTpl) go back at the top of the body; empty ones (<Height/>) are left out
    expect(requests[1]!.body).toBe(
      '<Request><Tag>Animation</Tag><Name>gif-480p-15fps</Name><Container><Format>webp</Format></Container>' +
        '<Video><Codec>webp</Codec><Width>480</Width><Fps>20</Fps><AnimateFramesPerSecond>15</AnimateFramesPerSecond><Quality>80</Quality></Video>' +
        '<TimeInterval><Start>1.5</Start></TimeInterval></Request>',
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ Template: { TemplateId: ID } });
  });

  it('--format changes the codec with it; --quality on a template that turns gif is refused', async () => {
    const { fetch, requests } = routeFetch((req) => (req.method === 'GET' ? paged.response : rec.response));
    const r = await runCli(['templates', 'update', CURRENT, '--format', 'gif', '--name', 'now-gif'], { fetch });
    expect(r.code).toBe(0);
    expect(requests[1]!.body).toContain('<Name>now-gif</Name><Container><Format>gif</Format></Container><Video><Codec>gif</Codec>');
    expect(requests[1]!.body).not.toContain('<Quality>'); // webp only: not carried over to gif
    const q = await runCli(['templates', 'update', CURRENT, '--format', 'gif', '--quality', '50'], { fetch });
    expect(q.code).toBe(2);
  });

  it('an unknown template, nothing to change: exit 1 / 2, nothing updated', async () => {
    const { fetch, requests } = routeFetch((req) =>
      req.method === 'GET'
        ? { body: '<Response><TotalCount>0</TotalCount><NonExistTIDs><TemplateId>nope</TemplateId></NonExistTIDs></Response>' }
        : rec.response,
    );
    const unknown = await runCli(['templates', 'update', 'nope', '--fps', '10'], { fetch });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: no such template: nope\n');
    const nothing = await runCli(['templates', 'update', 'nope'], { fetch });
    expect(nothing.code).toBe(2);
    expect(requests.map((q) => q.method)).toEqual(['GET']);
  });
});

describe('ci-media templates delete', () => {
  const rec = recording('DeleteMediaTemplate', 'doc-sample');

  it('sends DELETE /template/<id> and says so; --json prints the response', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['templates', 'delete', 'A'], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests[0]!.method).toBe('DELETE');
    expect(requests[0]!.rawUrl).toBe(`${ENDPOINT}/template/A`);
    expect(requests[0]!.body).toBeUndefined();
    expect(r.stdout).toBe('Deleted template A.\n');
    const json = await runCli(['templates', 'delete', 'A', '--json'], { fetch });
    expect(JSON.parse(json.stdout)).toEqual({ RequestId: 'NTk0MjdmODlfMjQ4OGY3XzYzYzhfMjc=', TemplateId: 'A' });
  });

  it('a service error exits 1', async () => {
    const { fetch } = routeFetch(() => ({
      status: 400,
      body: '<Error><Code>InvalidArgument</Code><Message>template in use</Message><RequestId>r-9</RequestId></Error>',
    }));
    const r = await runCli(['templates', 'delete', 'A'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: InvalidArgument: template in use (request id r-9, HTTP 400)\n');
  });
});

describe('ci-media help', () => {
  it('--help lists the queues and templates groups', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const group of ['jobs', 'queues', 'templates']) expect(r.stdout).toMatch(new RegExp(`^\\s+${group}\\b`, 'm'));
    const t = await runCli(['templates', '--help']);
    for (const cmd of ['list', 'create', 'update', 'delete']) expect(t.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });
});
