export { convertVideos, settleQueue, type BatchReport, type ConvertOptions, type JobOutcome } from './animations';
