/**
 * Type-level tests of @cloud-infinite/client, checked by `tsc --noEmit -p test/types` (nx target
 * `client:typecheck`, part of `npm test`); nothing here runs. Each `Expect<Equal<…>>` fails to compile when
 * a type changes at all; each `// @ts-expect-error` fails (TS2578, unused directive) when a type is loosened
 * so that the wrong call compiles. Imports the package by name, so it checks the built dist/index.d.ts.
 */
import {
  CiMediaClient,
  type CreateMediaJobsInput,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
  type DescribeMediaQueuesOutput,
  type DescribeMediaTemplatesOutput,
  type JobState,
  type MediaJob,
  type ResponseMetadata,
  type WithMetadata,
} from '@cloud-infinite/client';

// ------------------------------------------------------------------------------------------- helpers

/** Exactly the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
/** `true` when K is an optional key of T. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends Pick<T, K>` is the optional-key test
type IsOptional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;
type Not<T extends boolean> = T extends true ? false : true;

declare const ci: CiMediaClient;
declare const queueId: string;
/** Evaluates nothing at run time; only the types of the calls matter. */
declare function typeOf<T>(promise: Promise<T>): T;

// ------------------------------------------------------------------------------- DescribeMediaJobs output

type Page = Awaited<ReturnType<CiMediaClient['describeMediaJobs']>>;

export type _PageIsOutputWithMetadata = Expect<Equal<Page, WithMetadata<DescribeMediaJobsOutput>>>;

// JobsDetail is always an array (never a lone object, never optional)
export type _JobsDetailIsArray = Expect<Equal<Page['JobsDetail'], MediaJob[]>>;
export type _JobsDetailRequired = Expect<Not<IsOptional<Page, 'JobsDetail'>>>;

// NextToken: string | undefined, optional (empty or absent on the last page)
export type _NextToken = Expect<Equal<Page['NextToken'], string | undefined>>;
export type _NextTokenOptional = Expect<IsOptional<Page, 'NextToken'>>;

// Width travels as text and stays a string, even when it looks like a number
type Video = NonNullable<NonNullable<NonNullable<MediaJob['Operation']>['Animation']>['Video']>;
export type _Width = Expect<Equal<Video['Width'], string | undefined>>;
export type _Fps = Expect<Equal<Video['Fps'], string | undefined>>;
export type _JobId = Expect<Equal<MediaJob['JobId'], string>>;
// response enums are open: the documented values (kept for autocompletion) and any value the service adds
export type _State = Expect<Equal<MediaJob['State'], 'Submitted' | 'Running' | 'Success' | 'Failed' | 'Pause' | 'Cancel' | (string & {})>>;
export type _StateAcceptsNewValues = Expect<Equal<'Paused2099' extends MediaJob['State'] ? true : false, true>>;
// what the service always returns is required: a job's JobId, State and Tag; a template's TemplateId; a queue's QueueId
export type _JobRequired = Expect<Equal<Exclude<keyof MediaJob, OptionalKeys<MediaJob>>, 'JobId' | 'State' | 'Tag'>>;
export type _TemplateIdRequired = Expect<
  Equal<Awaited<ReturnType<CiMediaClient['createMediaTemplate']>>['Template']['TemplateId'], string>
>;
export type _QueueIdRequired = Expect<Equal<DescribeMediaQueuesOutput['QueueList'][number]['QueueId'], string>>;
// unknown ids: a plain list, whichever form (flat or nested) the service sent
export type _NonExistPIDs = Expect<Equal<DescribeMediaQueuesOutput['NonExistPIDs'], string[] | undefined>>;
export type _NonExistTIDs = Expect<Equal<DescribeMediaTemplatesOutput['NonExistTIDs'], string[] | undefined>>;
// a request enum stays closed
export type _RequestFormatClosed = Expect<
  Equal<NonNullable<CreateMediaJobsInput['Operation']['Animation']>['Container']['Format'], 'gif' | 'hgif' | 'webp'>
>;

// $metadata.requestId, on every result
export type _Metadata = Expect<Equal<Page['$metadata'], ResponseMetadata>>;
export type _RequestId = Expect<Equal<Page['$metadata']['requestId'], string | undefined>>;
export function metadataOfEveryMethod(): void {
  const id: string | undefined = typeOf(ci.describeMediaQueues()).$metadata.requestId;
  const status: number = typeOf(ci.cancelMediaJob({ jobId: 'j1' })).$metadata.statusCode;
  void id;
  void status;
}

// TotalCount (paged listings) is an optional number, never a string
export type _QueuesTotalCount = Expect<Equal<DescribeMediaQueuesOutput['TotalCount'], number | undefined>>;
export type _QueuesTotalCountOptional = Expect<IsOptional<DescribeMediaQueuesOutput, 'TotalCount'>>;
export type _TemplatesTotalCount = Expect<Equal<DescribeMediaTemplatesOutput['TotalCount'], number | undefined>>;
export type _PageNumber = Expect<Equal<DescribeMediaTemplatesOutput['PageNumber'], number | undefined>>;

// ---------------------------------------------------------------------------------- DescribeMediaJobs input

export type _Tag = Expect<Equal<DescribeMediaJobsInput['tag'], 'Animation'>>;
export type _States = Expect<
  Equal<NonNullable<DescribeMediaJobsInput['states']>, Array<'All' | 'Submitted' | 'Running' | 'Success' | 'Failed' | 'Pause' | 'Cancel'>>
>;
export type _StartCreationTime = Expect<Equal<DescribeMediaJobsInput['startCreationTime'], string | Date | undefined>>;

export function describeMediaJobsInput(): void {
  void ci.describeMediaJobs({ queueId, tag: 'Animation' });
  void ci.describeMediaJobs({ queueId, tag: 'Animation', states: ['All'] });
  void ci.describeMediaJobs({ queueId, tag: 'Animation', states: ['Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel'] });
  void ci.describeMediaJobs({ queueId, tag: 'Animation', orderByTime: 'Asc', size: 100, nextToken: 'token' });

  // a wrong tag
  // @ts-expect-error 'Transcode' is not a JobTag
  void ci.describeMediaJobs({ queueId, tag: 'Transcode' });
  // @ts-expect-error tag is required
  void ci.describeMediaJobs({ queueId });
  // @ts-expect-error queueId is required
  void ci.describeMediaJobs({ tag: 'Animation' });

  // states: only the enum's values, as an array
  // @ts-expect-error 'Done' is not a job state
  void ci.describeMediaJobs({ queueId, tag: 'Animation', states: ['Success', 'Done'] });
  // @ts-expect-error states is an array, not a comma-joined string
  void ci.describeMediaJobs({ queueId, tag: 'Animation', states: 'Success,Failed' });
  // @ts-expect-error 'success' is case-sensitive
  void ci.describeMediaJobs({ queueId, tag: 'Animation', states: ['success'] });

  // startCreationTime / endCreationTime: a Date or a CI time string, nothing else
  void ci.describeMediaJobs({ queueId, tag: 'Animation', startCreationTime: new Date(), endCreationTime: new Date() });
  void ci.describeMediaJobs({ queueId, tag: 'Animation', startCreationTime: '2024-05-01T00:00:00+0800' });
  // @ts-expect-error a number (epoch) is not accepted
  void ci.describeMediaJobs({ queueId, tag: 'Animation', startCreationTime: 1714492800000 });

  // size is a number, not text
  // @ts-expect-error size: '100'
  void ci.describeMediaJobs({ queueId, tag: 'Animation', size: '100' });
  // unknown members are refused (a misspelt parameter would otherwise be dropped silently)
  // @ts-expect-error queueID is not a parameter (queueId is)
  void ci.describeMediaJobs({ queueId, tag: 'Animation', queueID: queueId });
}

// --------------------------------------------------------------------------------------- CreateMediaJobs

const input = { Object: 'in/video.mp4' };
const output = { Region: 'ap-beijing', Bucket: 'examplebucket-1250000000', Object: 'out/video.gif' };

export type _CreateRequires = Expect<
  Equal<Exclude<keyof CreateMediaJobsInput, OptionalKeys<CreateMediaJobsInput>>, 'Tag' | 'Input' | 'Operation'>
>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends Pick<T, K>` is the optional-key test
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];

export function createMediaJobsInput(): void {
  void ci.createMediaJobs({ Tag: 'Animation', Input: input, Operation: { TemplateId: 't1', Output: output } });
  void ci.createMediaJobs({
    Tag: 'Animation',
    Input: input,
    Operation: { Animation: { Container: { Format: 'webp' }, Video: { Codec: 'webp', Width: '480' } }, Output: output },
    QueueId: 'p893bcda225bf4945a378da6662e81a89',
  });

  // @ts-expect-error Tag is required
  void ci.createMediaJobs({ Input: input, Operation: { TemplateId: 't1', Output: output } });
  // @ts-expect-error Input is required
  void ci.createMediaJobs({ Tag: 'Animation', Operation: { TemplateId: 't1', Output: output } });
  // @ts-expect-error Operation is required
  void ci.createMediaJobs({ Tag: 'Animation', Input: input });
  // @ts-expect-error no input at all
  void ci.createMediaJobs();
  // @ts-expect-error Operation.Output is required
  void ci.createMediaJobs({ Tag: 'Animation', Input: input, Operation: { TemplateId: 't1' } });
  void ci.createMediaJobs({
    Tag: 'Animation',
    Input: input,
    // @ts-expect-error Width travels as text: a string, not a number
    Operation: { Animation: { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: 480 } }, Output: output },
  });
}

// --------------------------------------------------------------------------------------- waitForMediaJob

export type _Wait = Expect<Equal<ReturnType<CiMediaClient['waitForMediaJob']>, Promise<MediaJob>>>;
export type _WaitJobIsAJobsDetailItem = Expect<Equal<MediaJob, DescribeMediaJobsOutput['JobsDetail'][number]>>;

export function waitForMediaJob(): void {
  const job: MediaJob = typeOf(ci.waitForMediaJob('j1', { maxWaitSeconds: 60, onPoll: (j, attempt) => void [j.State, attempt] }));
  const state: JobState = job.State;
  if (state === 'Success') void state;
  // @ts-expect-error the job id is required
  void ci.waitForMediaJob();
  // @ts-expect-error maxWaitSeconds is a number
  void ci.waitForMediaJob('j1', { maxWaitSeconds: '60' });
}

// --------------------------------------------------------------------------------------------- paginators

export function paginators(): void {
  const jobs: AsyncGenerator<MediaJob, void, undefined> = ci.paginateMediaJobs({ queueId, tag: 'Animation', states: ['Success'] });
  void jobs;
  // @ts-expect-error the paginator takes the same input as describeMediaJobs
  void ci.paginateMediaJobs({ queueId, tag: 'Animation', states: ['Done'] });
}

// ------------------------------------------------------------------------------------ DescribeMediaTemplates

export function describeMediaTemplatesInput(): void {
  // All is the service's default tag
  void ci.describeMediaTemplates({ tag: 'All' });
  void ci.describeMediaTemplates({ tag: 'Animation', category: 'Official' });
  // @ts-expect-error a request enum stays as documented
  void ci.describeMediaTemplates({ tag: 'Everything' });
}
