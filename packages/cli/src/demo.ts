/**
 * `npm start`: the offline demo of the whole animated-image lifecycle. Starts the fake CI service on
 * 127.0.0.1 with its demo key and a few hundred seeded jobs, then runs the real `ci-media` binary against it
 * (real signing, real HTTP, real paging): create a template, submit jobs with it, cancel one while it is still
 * Submitted, wait for another, then pull the whole batch page by page. Needs no credentials and no network.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, startFakeCi } from '@cloud-infinite/mock';

const SEEDED_JOBS = 300;

/**
 * How long a created job stays in each of Submitted and Running, on the fake's clock (its default progression,
 * `{ afterMs }`; the fake's own default is 300 ms). Longer here because each step is a new `ci-media` process,
 * which takes a few hundred ms to start: the job to cancel must still be Submitted when the cancel arrives.
 */
const STATE_MS = 2_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
}

/** Runs `ci-media <args>`, echoing the command and its output; `capture` keeps stdout (for --json) instead. */
function ciMedia(env: NodeJS.ProcessEnv, args: readonly string[], capture = false): Promise<Run> {
  console.log(`\n$ ci-media ${args.map((a) => (/[\s$]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'bin.js'), ...args], {
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
      env,
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

async function step(env: NodeJS.ProcessEnv, args: readonly string[], capture = false): Promise<string> {
  const run = await ciMedia(env, args, capture);
  if (run.code !== 0) throw new Error(`ci-media ${args[0]} ${args[1] ?? ''} exited with ${run.code}`);
  return run.stdout;
}

async function main(): Promise<void> {
  // a created job is Submitted for STATE_MS, then Running for STATE_MS, then Success (on the fake's clock)
  const fake = await startFakeCi({ port: 0, jobs: SEEDED_JOBS, seed: 2024, jobProgression: { afterMs: STATE_MS } });
  console.log(
    `fake CI service on ${fake.url}: demo key, ${SEEDED_JOBS} seeded animation jobs in queue ${DEMO_QUEUE_ID}; ` +
      `a new job is Submitted for ${STATE_MS / 1000} s, then Running for ${STATE_MS / 1000} s`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
    TENCENTCLOUD_SESSION_TOKEN: '',
    CI_ENDPOINT: fake.url,
    CI_BUCKET: DEMO_BUCKET,
    CI_REGION: DEMO_REGION,
  };
  try {
    console.log('\n1. Create an animated-image template (GIF, 480 px wide, 15 fps, first 10 s)');
    const template = JSON.parse(
      await step(
        env,
        ['templates', 'create', '--name', 'demo-gif-480', '--format', 'gif', '--width', '480', '--fps', '15', '--duration', '10', '--json'],
        true,
      ),
    ) as { Template: { TemplateId: string; Name: string } };
    const templateId = template.Template.TemplateId;
    console.log(`created template ${templateId} (${template.Template.Name})`);

    console.log('\n2. Submit three jobs with it');
    const jobIds: string[] = [];
    for (const clip of ['launch', 'keynote', 'teaser']) {
      const created = JSON.parse(
        await step(
          env,
          [
            'jobs',
            'create',
            '--template-id',
            templateId,
            '--queue-id',
            DEMO_QUEUE_ID,
            '--input-object',
            `videos/${clip}.mp4`,
            '--output-object',
            `gifs/${clip}.gif`,
            '--json',
          ],
          true,
        ),
      ) as { JobsDetail: Array<{ JobId: string; State: string }> };
      const job = created.JobsDetail[0]!;
      jobIds.push(job.JobId);
      console.log(`submitted ${job.JobId} (${job.State})`);
    }

    console.log('\n3. Cancel the last one while it is still Submitted');
    await step(env, ['jobs', 'cancel', jobIds[2]!]);

    console.log('\n4. Wait for the first one (Submitted, then Running, then Success)');
    await step(env, ['jobs', 'wait', jobIds[0]!, '--interval-ms', '500']);

    console.log('\n5. Pull the whole batch, page by page (NextToken)');
    await step(env, ['jobs', 'list', '--queue-id', DEMO_QUEUE_ID, '--size', '50', '--all']);
  } finally {
    await fake.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
