/**
 * @cloud-infinite/mock — a stateful fake Tencent Cloud Infinite (CI) service for offline tests: in memory,
 * signature-checking, paginating, answering spec-conformant XML, with a job state machine and fault injection.
 * Use it in-process ({@link FakeCiService.handle}) or as a local HTTP server ({@link startFakeCi}). MSW handlers
 * are in the separate entry `@cloud-infinite/mock/msw` (so this one never loads msw).
 */
export { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, CI_OFFSET_MINUTES } from './constants';
export { FakeCiService, DEFAULT_QUEUE_NAME, type FakeCiOptions, type FakeExchange, type HandleOptions } from './service';
export { startFakeCi, MAX_REQUEST_BODY_BYTES, type RunningFakeCi, type StartFakeCiOptions } from './server';
export type { FakeRequest, FakeResponse } from './request';
export {
  FakeCiError,
  invalidArgument,
  methodNotAllowed,
  resourceNotFound,
  noSuchResource,
  resourceAccessDenied,
  missingContent,
  invalidContent,
  invalidDigest,
} from './errors';
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
  type StoredTemplate,
} from './store';
export {
  JobEngine,
  DEFAULT_JOB_PROGRESSION,
  MAX_AFTER_MS,
  defaultJobOutcome,
  isFinalState,
  FAILING_INPUT,
  DEFAULT_FAILURE,
  type JobProgression,
  type JobOutcome,
  type JobOutcomeRule,
} from './lifecycle';
export {
  NotificationOutbox,
  encodeJobNotification,
  isLoopbackUrl,
  NOTIFICATION_CONTENT_TYPES,
  MAX_BACKOFF_MS,
  MAX_DELIVERIES_IN_FLIGHT,
  MAX_DELIVERIES_QUEUED,
  type NotificationDelivery,
  type DeliveryState,
  type DeliveryAttempt,
  type DeliveryMatch,
  type NotificationOptions,
  type NotificationSource,
  type JobCallback,
  type WaitForDeliveryOptions,
} from './notifications';
export {
  FAULT_HEADER,
  MAX_SLOW_MS,
  FakeConnectionError,
  parseFault,
  type Fault,
  type FaultKind,
  type FaultRule,
  type OperationId,
} from './faults';
export {
  seedJobs,
  generateJobs,
  generateSeedData,
  generateQueues,
  officialTemplates,
  createRandom,
  type SeedOptions,
  type SeedData,
  type QueueSeedOptions,
} from './seed';
export { encodeNextToken, decodeNextToken, filterFingerprint, type ListCursor } from './next-token';
export { parseRecording, loadRecordings, type Recording, type RecordedRequest, type RecordedResponse } from './recordings';
export { ROUTES, type Route, type RouteContext } from './router';
