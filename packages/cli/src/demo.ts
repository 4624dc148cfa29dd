/**
 * `npm start`: the offline demo of the whole animated-image lifecycle. Starts the fake CI service on
 * 127.0.0.1 with its demo key and a few hundred seeded jobs, then runs the real `ci-media` binary against it
 * (real signing, real HTTP, real paging): create a template, submit jobs with it (each with a CallBack to a local
 * `ci-media notify listen`), cancel one while it is still Submitted, wait for another, pull the whole batch page
 * by page, then show the notifications the fake delivered. Needs no credentials and no network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

/** How the demo echoes a command: quoted where needed, with secrets (a `--token`, a URL's `token=`) shown as `***`. */
function shown(args: readonly string[]): string {
  return args
    .map((a, i) => (args[i - 1] === '--token' ? '***' : a.replace(/([?&]token=)[^&]*/g, '$1***')))
    .map((a) => (/[\s$?&]/.test(a) ? `'${a}'` : a))
    .join(' ');
}

/** Runs `ci-media <args>`, echoing the command and its output; `capture` keeps stdout (for --json) instead. */
function ciMedia(env: NodeJS.ProcessEnv, args: readonly string[], capture = false): Promise<Run> {
  console.log(`\n$ ci-media ${shown(args)}`);
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

/** A running `ci-media notify listen`: its CallBack URL, what it has printed so far, and its exit. */
interface Listener {
  readonly callback: string;
  readonly output: () => string;
  readonly exited: Promise<number>;
  readonly child: ChildProcess;
}

/**
 * Starts `ci-media notify listen` on a free port, checking a fresh secret token (CI signs nothing: the token in the
 * CallBack URL is how the listener knows the caller), to stop after `count` notifications. Resolves once it listens.
 */
function startListener(env: NodeJS.ProcessEnv, count: number): Promise<Listener> {
  const token = randomBytes(12).toString('hex');
  const args = ['notify', 'listen', '--port', '0', '--path', '/ci-callback', '--token-env', 'CI_CALLBACK_TOKEN', '--count', String(count)];
  console.log(`\n$ CI_CALLBACK_TOKEN=*** ci-media ${shown(args)} &`);
  const child = spawn(process.execPath, [join(__dirname, 'bin.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CI_CALLBACK_TOKEN: token },
  });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return new Promise((resolve, reject) => {
    let stderr = '';
    let listening = false;
    const timer = setTimeout(() => reject(new Error(`ci-media notify listen did not start: ${stderr}`)), 10_000);
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`ci-media notify listen exited with ${code}: ${stderr}`)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      // after the listener starts, what it prints on stderr goes straight through
      if (listening) return void process.stdout.write(chunk);
      stderr += chunk;
      const port = /listening for job notifications on http:\/\/[^:]+:(\d+)\//.exec(stderr)?.[1];
      if (port === undefined) return;
      listening = true;
      clearTimeout(timer);
      process.stdout.write(stderr);
      resolve({ callback: `http://127.0.0.1:${port}/ci-callback?token=${token}`, output: () => stdout, exited, child });
    });
  });
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
  let listener: Listener | undefined;
  try {
    console.log("\n0. Listen for job notifications (what CI POSTs to a job's CallBack when it ends)");
    // two notifications: the first and second jobs end; the third is canceled, and a canceled job notifies nobody
    listener = await startListener(env, 2);

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

    console.log('\n2. Submit three jobs with it, each with a CallBack to the listener');
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
            '--callback',
            listener.callback,
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

    console.log('\n6. The notifications the fake delivered to the listener (the second job ends on its own)');
    const code = await Promise.race([
      listener.exited,
      new Promise<number>((resolve) => setTimeout(() => resolve(-1), 4 * STATE_MS + 5_000)),
    ]);
    process.stdout.write(listener.output());
    if (code !== 0)
      throw new Error(code === -1 ? 'the listener did not receive both notifications in time' : `the listener exited with ${code}`);
    for (const d of fake.service.notifications)
      console.log(`delivery ${d.id}: job ${d.jobId} ${d.format} → ${d.state} after ${d.attempts.length} attempt(s)`);
  } finally {
    listener?.child.kill();
    await fake.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
