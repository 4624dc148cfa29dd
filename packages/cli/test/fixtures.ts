/** XML bodies served by the fake fetch of the CLI tests. */

/** The body of Tencent's documented DescribeMediaJobs response (samples/DescribeMediaJobs.doc-sample.http). */
export const DOC_SAMPLE_BODY = `<Response>
  <JobsDetail>
    <Code>Success</Code>
    <Message>Success</Message>
    <JobId>je8f65004eb8511eaaed4f377124a303c</JobId>
    <State>Submitted</State>
    <CreationTime>2019-07-07T12:12:12+0800</CreationTime>
    <EndTime>2019-07-07T12:12:12+0800</EndTime>
    <QueueId>p893bcda225bf4945a378da6662e81a89</QueueId>
    <Tag>Animation</Tag>
    <Input>
      <Object>test.mp4</Object>
    </Input>
    <Operation>
      <TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>
      <Output>
        <Region>ap-beijing</Region>
        <Bucket>abc-1250000000</Bucket>
        <Object>test-trans.gif</Object>
      </Output>
    </Operation>
  </JobsDetail>
  <JobsDetail>
    <Code>Success</Code>
    <Message>Success</Message>
    <JobId>je8f65004eb8511eaaed4f377124a303d</JobId>
    <State>Submitted</State>
    <CreationTime>2019-07-07T12:12:12+0800</CreationTime>
    <EndTime>2019-07-07T12:12:12+0800</EndTime>
    <QueueId>p893bcda225bf4945a378da6662e81a89</QueueId>
    <Tag>Animation</Tag>
    <Input>
      <Object>test.mp4</Object>
    </Input>
    <Operation>
      <TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>
      <Output>
        <Region>ap-beijing</Region>
        <Bucket>abc-1250000000</Bucket>
        <Object>test-trans.gif</Object>
      </Output>
    </Operation>
  </JobsDetail>
</Response>`;

/** The documented 403 error body (samples/Error.access-denied.http). */
export const ACCESS_DENIED_BODY = `<?xml version='1.0' encoding='utf-8' ?>
<Error>
<Code>AccessDenied</Code>
<Message>Access Denied.</Message>
<RequestId>NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****</RequestId>
<TraceId>OGVmYzZiMmQzYjA2OWNhODk0NTRkMTBiOWVmMDAxODc0OWRkZjk0ZDM1NmI1M2E2MTRlY2MzZDhmNmI5MWI1OTE2ZDk2N2E4OTY0OTQ5****</TraceId>
</Error>`;

/** Fields of a job written by the tests. */
export interface JobFixture {
  readonly id: string;
  readonly state?: string;
  readonly created?: string;
  readonly input?: string;
  readonly output?: string;
  readonly code?: string;
  readonly message?: string;
}

/** A job id: `j` and 32 hex digits ending in `n`. */
export const jobId = (n: number): string => `j${n.toString(16).padStart(32, '0')}`;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A `<JobsDetail>` element. */
export function jobXml(job: JobFixture): string {
  return `<JobsDetail>
    <Code>${esc(job.code ?? 'Success')}</Code>
    <Message>${esc(job.message ?? 'Success')}</Message>
    <JobId>${job.id}</JobId>
    <State>${job.state ?? 'Success'}</State>
    <CreationTime>${job.created ?? '2024-05-01T09:00:00+0800'}</CreationTime>
    <QueueId>p893bcda225bf4945a378da6662e81a89</QueueId>
    <Tag>Animation</Tag>
    <Input><Object>${esc(job.input ?? 'in/video.mp4')}</Object></Input>
    <Operation>
      <TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>
      <Output><Region>ap-beijing</Region><Bucket>examplebucket-1250000000</Bucket><Object>${esc(job.output ?? 'out/video.gif')}</Object></Output>
    </Operation>
  </JobsDetail>`;
}

/** A `<Response>` page of jobs, with `<NextToken>` when `next` is given. */
export function pageXml(jobs: readonly JobFixture[], next?: string): string {
  return `<Response>\n  ${jobs.map(jobXml).join('\n  ')}${next === undefined ? '' : `\n  <NextToken>${next}</NextToken>`}\n</Response>`;
}
