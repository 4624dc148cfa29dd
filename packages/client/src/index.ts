/**
 * @cloud-infinite/client — the typed client of Tencent Cloud Infinite media jobs (animated images),
 * generated from specs/ci-media.openapi.yaml.
 */
export { CiMediaClient } from './client';
export { CiClient, ciEndpoint, isOperation, type CiMediaClientConfig, type OperationSender } from './core';
export {
  paginateMediaJobPages,
  paginateMediaJobs,
  paginateMediaTemplatePages,
  paginateMediaTemplates,
  paginateMediaQueuePages,
  paginateMediaQueues,
  waitForMediaJob,
  type WaitOptions,
} from './paginators';
export {
  parseJobNotification,
  decodeNotification,
  createNotificationHandler,
  formatOfContentType,
  redactToken,
  DEFAULT_MAX_NOTIFICATION_BYTES,
  type ParseNotificationOptions,
  type NotificationFormat,
  type NotificationContext,
  type NotificationErrorContext,
  type NotificationHandlerOptions,
  type NotificationHandler,
  type OnNotification,
  type NodeRequestLike,
  type NodeResponseLike,
} from './notifications';
export * from './generated/operations';
export type * from './generated/types';
export * from './generated/enums';
export { shapes } from './generated/index';
export {
  CiError,
  CiServiceError,
  CiNetworkError,
  CiTimeoutError,
  CiAbortError,
  CiDecodeError,
  CiValidationError,
  CiCredentialsError,
  CiJobFailedError,
  fromEnv,
  refreshingCredentials,
  type Credentials,
  type CredentialProvider,
  type CallOptions,
  type ResponseMetadata,
  type WithMetadata,
  type ValidationMode,
} from '@cloud-infinite/runtime';
