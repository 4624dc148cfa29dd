/** Template CRUD through the real client (strict validation), paging, filters, and the documented errors. */
import { CiValidationError, type CreateMediaTemplateInput } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_REGION, officialTemplates, startFakeCi, type RunningFakeCi } from '../src';
import { clientOf, errorCode, rejectionOf, serviceErrorOf, signedFetch, xmlHeaders } from './helpers';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);
let clock = NOW;
let ci: RunningFakeCi;
beforeAll(async () => {
  ci = await startFakeCi({ now: () => clock });
});
afterAll(() => ci.close());
const client = () => clientOf(ci.url, { now: () => clock }); // the fake's clock (2024): more skew than the client corrects
const keyTime = () => `${Math.floor(clock / 1000) - 1};${Math.floor(clock / 1000) + 899}`;

const GIF: CreateMediaTemplateInput = {
  Tag: 'Animation',
  Name: 'gif-640',
  Container: { Format: 'gif' },
  Video: { Codec: 'gif', Width: '640', Height: '', Fps: '15', AnimateOnlyKeepKeyFrame: 'true' },
  TimeInterval: { Start: '0', Duration: '60' },
};

describe('CreateMediaTemplate and the CRUD cycle', () => {
  test('create → describe → update → delete', async () => {
    const created = await client().createMediaTemplate(GIF);
    const template = created.Template;
    expect(template.TemplateId).toMatch(/^t1[0-9a-f]{32}$/);
    expect(template).toEqual({
      TemplateId: template.TemplateId,
      Name: 'gif-640',
      Tag: 'Animation',
      Category: 'Custom',
      BucketId: DEMO_BUCKET,
      CreateTime: '2024-05-06T11:12:09+0800',
      UpdateTime: '2024-05-06T11:12:09+0800',
      TransTpl: { Container: GIF.Container, Video: GIF.Video, TimeInterval: GIF.TimeInterval },
    });
    expect(created.RequestId).toBe(created.$metadata.requestId);

    const found = await client().describeMediaTemplates({ ids: [template.TemplateId!] });
    expect(found.TemplateList).toEqual([template]);

    clock += 60_000;
    const updated = await client().updateMediaTemplate({
      templateId: template.TemplateId!,
      Tag: 'Animation',
      Name: 'webp-320',
      Container: { Format: 'webp' },
      Video: { Codec: 'webp', Width: '320', Quality: '90' },
    });
    expect(updated.Template).toEqual({
      ...template,
      Name: 'webp-320',
      UpdateTime: '2024-05-06T11:13:09+0800',
      TransTpl: { Container: { Format: 'webp' }, Video: { Codec: 'webp', Width: '320', Quality: '90' } },
    });

    // a job made from it records its id and name, and runs with its parameters
    const job = await client().createMediaJobs({
      Tag: 'Animation',
      Input: { Object: 'a.mp4' },
      Operation: { TemplateId: template.TemplateId!, Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'a.${ext}' } },
    });
    expect(job.JobsDetail[0]!.Operation).toMatchObject({ TemplateId: template.TemplateId, TemplateName: 'webp-320' });
    clock += 600; // the default progression: 300 ms Submitted, 300 ms Running, on the service clock
    const done = (await client().describeMediaJob({ jobIds: [job.JobsDetail[0]!.JobId] })).JobsDetail[0]!;
    expect(done.Operation!.MediaResult!.OutputFile!.ObjectName).toEqual(['a.webp']);

    const deleted = await client().deleteMediaTemplate({ templateId: template.TemplateId! });
    expect(deleted).toEqual({ RequestId: deleted.$metadata.requestId, TemplateId: template.TemplateId });
    const gone = await client().describeMediaTemplates({ ids: [template.TemplateId!] });
    expect(gone).toMatchObject({ TemplateList: [], NonExistTIDs: [template.TemplateId], TotalCount: 0 });
    const err = await serviceErrorOf(client().deleteMediaTemplate({ templateId: template.TemplateId! }));
    expect([err.statusCode, err.code]).toEqual([400, 'ResourceNotFound']);
  });

  test.each([
    ['Width 5000', { Video: { Codec: 'gif' as const, Width: '5000' } }, 'Video.Width'],
    ['Fps 0', { Video: { Codec: 'gif' as const, Fps: '0' } }, 'Video.Fps'],
    ['AnimateOnlyKeepKeyFrame yes', { Video: { Codec: 'gif' as const, AnimateOnlyKeepKeyFrame: 'yes' } }, 'AnimateOnlyKeepKeyFrame'],
    ['a blank Name', { Name: '   ' }, 'Name'],
  ])('%s is a 400 InvalidArgument', async (_label, change, text) => {
    const err = await serviceErrorOf(client().createMediaTemplate({ ...GIF, ...change }));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain(text);
  });

  test('the client refuses a Name over 64 characters before sending; the service too (raw)', async () => {
    expect(await rejectionOf(client().createMediaTemplate({ ...GIF, Name: 'x'.repeat(65) }))).toBeInstanceOf(CiValidationError);
    const body = `<Request><Tag>Animation</Tag><Name>${'x'.repeat(65)}</Name><Container><Format>gif</Format></Container></Request>`;
    const res = await signedFetch(ci.url, { method: 'POST', path: '/template', body, headers: xmlHeaders(body), keyTime: keyTime() });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
  });

  test.each([
    ['no Container', '<Request><Tag>Animation</Tag><Name>n</Name></Request>', '/Container is required'],
    ['Format png', '<Request><Tag>Animation</Tag><Name>n</Name><Container><Format>png</Format></Container></Request>', '/Container/Format'],
    ['no Tag', '<Request><Name>n</Name><Container><Format>gif</Format></Container></Request>', '/Tag is required'],
    [
      'Video without Codec',
      '<Request><Tag>Animation</Tag><Name>n</Name><Container><Format>gif</Format></Container><Video><Width>320</Width></Video></Request>',
      '/Video/Codec is required',
    ],
  ])('raw: %s is a 400 InvalidArgument', async (_label, body, text) => {
    const res = await signedFetch(ci.url, { method: 'POST', path: '/template', body, headers: xmlHeaders(body), keyTime: keyTime() });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    expect(res.body).toContain(text);
  });

  test('Official templates can be used, not changed: 400 ResourceAccessDenied', async () => {
    const official = officialTemplates()[0]!.TemplateId;
    const update = await serviceErrorOf(client().updateMediaTemplate({ templateId: official, ...GIF }));
    expect([update.statusCode, update.code]).toEqual([400, 'ResourceAccessDenied']);
    const del = await serviceErrorOf(client().deleteMediaTemplate({ templateId: official }));
    expect([del.statusCode, del.code]).toEqual([400, 'ResourceAccessDenied']);
  });

  test('updating an unknown template is a 400 ResourceNotFound', async () => {
    const err = await serviceErrorOf(client().updateMediaTemplate({ templateId: 't1nope', ...GIF }));
    expect([err.statusCode, err.code]).toEqual([400, 'ResourceNotFound']);
  });
});

describe('DescribeMediaTemplates', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 23; i++)
      ids.push(
        (await client().createMediaTemplate({ ...GIF, Name: `${i % 2 ? 'webp' : 'gif'}-${String(i).padStart(2, '0')}` })).Template
          .TemplateId!,
      );
  });

  test('Custom by default (Official apart), in creation order, paged with TotalCount; the paginator gets every one once', async () => {
    const first = await client().describeMediaTemplates({ tag: 'Animation' });
    expect(first).toMatchObject({ TotalCount: 23, PageNumber: 1, PageSize: 10 });
    expect(first.TemplateList.map((t) => t.TemplateId)).toEqual(ids.slice(0, 10));
    const all = [];
    for await (const t of client().paginateMediaTemplates({ pageSize: 4 })) all.push(t.TemplateId);
    expect(all).toEqual(ids);
  });

  test('category Official lists the presets', async () => {
    const page = await client().describeMediaTemplates({ category: 'Official' });
    expect(page.TemplateList.map((t) => t.Name)).toEqual(['Official-GIF', 'Official-WebP']);
    expect(page.TemplateList.every((t) => t.Category === 'Official')).toBe(true);
  });

  test('name is a prefix filter; TotalCount counts the matches', async () => {
    const page = await client().describeMediaTemplates({ name: 'webp-1', pageSize: 100 });
    expect(page.TemplateList.map((t) => t.Name)).toEqual(['webp-11', 'webp-13', 'webp-15', 'webp-17', 'webp-19']);
    expect(page.TotalCount).toBe(5);
  });

  test('ids: any category unless one is given; unknown ids in NonExistTIDs', async () => {
    const official = officialTemplates()[1]!.TemplateId;
    const page = await client().describeMediaTemplates({ ids: [official, 't1nope', ids[2]!] });
    expect(page.TemplateList.map((t) => t.TemplateId)).toEqual([official, ids[2]]);
    expect(page.NonExistTIDs).toEqual(['t1nope']);
    const custom = await client().describeMediaTemplates({ ids: [official, ids[2]!], category: 'Custom' });
    expect(custom.TemplateList.map((t) => t.TemplateId)).toEqual([ids[2]]);
  });

  test.each([
    ['tag Gif (not a template tag)', [['tag', 'Gif']], 'tag'],
    ['category custom', [['category', 'custom']], 'category'],
    ['pageSize 0', [['pageSize', '0']], 'pageSize'],
    ['an empty id', [['ids', ',']], 'ids'],
    ['an unknown parameter', [['Name', 'x']], 'Name'],
  ])('%s is a 400 InvalidArgument', async (_label, query, name) => {
    const res = await signedFetch(ci.url, { path: '/template', query: query as Array<[string, string]>, keyTime: keyTime() });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    expect(res.body).toContain(name);
  });
});
