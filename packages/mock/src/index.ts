/**
 * @cloud-infinite/mock — a stateful fake Tencent Cloud Infinite (CI) service for offline tests: in memory,
 * signature-checking, paginating, answering spec-conformant XML. Use it in-process
 * ({@link FakeCiService.handle}) or as a local HTTP server ({@link startFakeCi}).
 */
export { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, CI_OFFSET_MINUTES } from './constants';
export { FakeCiService, ROUTES, type FakeCiOptions, type FakeExchange } from './service';
export { startFakeCi, MAX_REQUEST_BODY_BYTES, type RunningFakeCi, type StartFakeCiOptions } from './server';
export type { FakeRequest, FakeResponse } from './request';
export { FakeCiError, invalidArgument, methodNotAllowed, resourceNotFound } from './errors';
export { verifyAuthorization, MAX_CLOCK_SKEW_SECONDS, type FakeCredentials } from './auth';
export {
  FakeCiStore,
  JOB_STATES,
  compareSortKeys,
  sortKeyOf,
  matchesFilter,
  type JobState,
  type JobFilter,
  type JobListQuery,
  type JobListPage,
  type JobSortKey,
  type SortOrder,
} from './store';
export { seedJobs, generateJobs, createRandom, type SeedOptions } from './seed';
export { encodeNextToken, decodeNextToken, filterFingerprint, type ListCursor } from './next-token';
export type { Route, RouteContext, RouteHandler, RouteResult } from './router';
