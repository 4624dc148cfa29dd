/**
 * What an application might build on `@cloud-infinite/client`: turn uploaded videos into GIFs, and wait for
 * the animation jobs of a queue to settle. Tested offline in `test/` with `@cloud-infinite/mock`.
 */
import { CiJobFailedError, type CiMediaClient, type MediaJob, type WaitOptions } from '@cloud-infinite/client';

/** How a job ended. */
export interface JobOutcome {
  readonly jobId: string;
  /** The input video's key. */
  readonly input: string;
  /** `Success`, `Failed`, `Cancel`, or `NonExistent`. */
  readonly state: string;
  /** The result's key (Success only). */
  readonly output?: string;
  /** The job's error code and message (Failed only). */
  readonly code?: string;
  readonly message?: string;
}

/** The outcomes of a batch of jobs. */
export interface BatchReport {
  readonly succeeded: JobOutcome[];
  readonly failed: JobOutcome[];
}

/** Options of {@link convertVideos}. */
export interface ConvertOptions {
  /** The template to use (e.g. a GIF template). */
  readonly templateId: string;
  /** Where the GIFs go: `<prefix><name of the video>.gif`. */
  readonly output: { readonly bucket: string; readonly region: string; readonly prefix: string };
  /** The queue; default the bucket's default queue. */
  readonly queueId?: string;
  /** Polling of each job (see the client's `waitForMediaJob`; delays in ms, the limit in s). */
  readonly wait?: WaitOptions;
}

/**
 * Submits one Animation job per video key (with the template) and waits for every job to end.
 * @returns the jobs that succeeded (with their output key) and those that failed (with the job's Code/Message).
 * @throws the client's errors when a job cannot be submitted or polled (a CiServiceError, CiNetworkError…).
 */
export async function convertVideos(client: CiMediaClient, keys: readonly string[], options: ConvertOptions): Promise<BatchReport> {
  const jobs: MediaJob[] = [];
  for (const key of keys) {
    const name = key.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
    const created = await client.createMediaJobs({
      Tag: 'Animation',
      Input: { Object: key },
      Operation: {
        TemplateId: options.templateId,
        Output: { Bucket: options.output.bucket, Region: options.output.region, Object: `${options.output.prefix}${name}.gif` },
      },
      ...(options.queueId ? { QueueId: options.queueId } : {}),
    });
    jobs.push(...created.JobsDetail);
  }
  return settle(client, jobs, options.wait);
}

/**
 * Waits for every Submitted or Running Animation job of a queue (listed page by page) to end.
 * @returns how each of them ended.
 */
export async function settleQueue(client: CiMediaClient, queueId: string, wait: WaitOptions = {}): Promise<BatchReport> {
  const pending: MediaJob[] = [];
  for await (const job of client.paginateMediaJobs({ queueId, tag: 'Animation', states: ['Submitted', 'Running'], size: 100 })) {
    pending.push(job);
  }
  return settle(client, pending, wait);
}

async function settle(client: CiMediaClient, jobs: readonly MediaJob[], wait: WaitOptions | undefined): Promise<BatchReport> {
  const succeeded: JobOutcome[] = [];
  const failed: JobOutcome[] = [];
  const outcomes = await Promise.all(
    jobs.map(async (job): Promise<JobOutcome> => {
      const input = job.Input?.Object ?? '';
      try {
        const done = await client.waitForMediaJob(job.JobId, wait);
        return { jobId: job.JobId, input, state: done.State, output: done.Operation?.MediaResult?.OutputFile?.ObjectName?.[0] };
      } catch (err) {
        if (!(err instanceof CiJobFailedError)) throw err;
        return { jobId: job.JobId, input, state: err.state, code: err.code, message: err.jobMessage };
      }
    }),
  );
  for (const outcome of outcomes) (outcome.state === 'Success' ? succeeded : failed).push(outcome);
  return { succeeded, failed };
}
