/**
 * The examples of specs/ci-media.openapi.yaml are the recordings' XML bodies (see ./spec/examples.ts):
 * this fails when an example drifts from its recording (whitespace-normalised), names a missing recording,
 * does not decode or validate, or when an operation has no example at all. The second block proves the
 * check itself catches each kind of drift, on altered copies of the spec.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { operationTable } from '../src';
import { RECORDINGS_DIR, parseExchange, type Recording } from './contract/recordings';
import { checkSpecExamples, normaliseXml } from './spec/examples';

const SPEC_FILE = resolve(__dirname, '../../../specs/ci-media.openapi.yaml');

/** The parsed YAML, edited freely by the drift tests below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary parsed YAML, navigated and edited freely
type Json = Record<string, any>;

const loadSpec = (): Json => parseYaml(readFileSync(SPEC_FILE, 'utf8')) as Json;

function loadRecording(name: string): Recording | undefined {
  const file = join(RECORDINGS_DIR, name);
  if (!/^[A-Za-z]+\/[\w.-]+\.http$/.test(name) || !existsSync(file)) return undefined;
  const [operationId, base] = name.split('/') as [string, string];
  return { operationId, name: base.slice(0, -'.http'.length), file, ...parseExchange(readFileSync(file, 'utf8')) };
}

describe('spec examples are the recordings', () => {
  const report = checkSpecExamples(loadSpec(), loadRecording);

  test('every example matches its recording, decodes and validates; nothing is missing', () => {
    expect(report.problems).toEqual([]);
  });

  test('every operation of the client has at least one example', () => {
    const without = Object.keys(operationTable).filter((id) => !report.counts[id]);
    expect(without).toEqual([]);
    expect(report.counts.components).toBeGreaterThan(0);
    // CancelMediaJob has no XML body: its one example is the recorded job id
    expect(report.counts.CancelMediaJob).toBe(1);
  });
});

describe('the check catches drift', () => {
  const problemsOf = (edit: (spec: Json) => void) => {
    const spec = loadSpec();
    edit(spec);
    return checkSpecExamples(spec, loadRecording).problems;
  };
  const jobsPage = (spec: Json) => spec.paths['/jobs'].get.responses['200'].content['application/xml'].examples;

  test('a changed value in a response example', () => {
    const problems = problemsOf((spec) => {
      const ex = jobsPage(spec)['doc-sample'];
      ex.value = ex.value.replace('<State>Submitted</State>', '<State>Success</State>');
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /DescribeMediaJobs response 200\/examples\/doc-sample: differs from the response body of specs\/recordings\/DescribeMediaJobs\/doc-sample\.http/,
      ),
    ]);
  });

  test('a changed request-body example', () => {
    const problems = problemsOf((spec) => {
      const ex = spec.paths['/jobs'].post.requestBody.content['application/xml'].examples['inline-animation'];
      ex.value = ex.value.replace('<Fps>15</Fps>', '<Fps>16</Fps>');
    });
    expect(problems).toEqual([
      expect.stringMatching(/CreateMediaJobs request body\/examples\/inline-animation: differs from the request body/),
    ]);
  });

  test('whitespace alone is no drift', () => {
    const problems = problemsOf((spec) => {
      const ex = jobsPage(spec)['doc-sample'];
      ex.value = `\r\n  ${ex.value.replace(/\n\s*/g, '\n\t\t')}  \n`;
    });
    expect(problems).toEqual([]);
    expect(normaliseXml('<a>\n  <b>x  y</b>\r\n</a>\n')).toBe('<a><b>x y</b></a>');
  });

  test('an example naming another operation, a missing recording, or none', () => {
    const problems = problemsOf((spec) => {
      const examples = jobsPage(spec);
      examples['doc-sample']['x-ci-recording'] = 'DescribeMediaJob/doc-sample.http';
      examples['one-job']['x-ci-recording'] = 'DescribeMediaJobs/no-such-recording.http';
      delete examples['zero-jobs']['x-ci-recording'];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /doc-sample: x-ci-recording DescribeMediaJob\/doc-sample\.http is a recording of DescribeMediaJob, not DescribeMediaJobs/,
      ),
      expect.stringMatching(/one-job: x-ci-recording DescribeMediaJobs\/no-such-recording\.http does not exist/),
      expect.stringMatching(/zero-jobs: no x-ci-recording/),
    ]);
  });

  test('an operation without examples', () => {
    const problems = problemsOf((spec) => {
      delete spec.paths['/template/{templateId}'].delete.responses['200'].content['application/xml'].examples;
      delete spec.paths['/jobs/{jobId}'].put.parameters[0].examples;
    });
    // in the spec's order of paths
    expect(problems).toEqual([
      'CancelMediaJob: no example at all (every operation needs one taken from specs/recordings/CancelMediaJob/)',
      'DeleteMediaTemplate: the 200 response has no example (take one from specs/recordings/DeleteMediaTemplate/)',
      'DeleteMediaTemplate: no example at all (every operation needs one taken from specs/recordings/DeleteMediaTemplate/)',
    ]);
  });

  test('a parameter example that is not the recorded value', () => {
    const problems = problemsOf((spec) => {
      spec.paths['/jobs/{jobId}'].put.parameters[0].examples['doc-sample'].value = 'j-other';
    });
    expect(problems).toEqual([
      expect.stringMatching(/CancelMediaJob parameter jobId\/examples\/doc-sample: "j-other" is not the value .* \("j-xxx-xxx-xxx-xxxx"\)/),
    ]);
  });

  test('an example recorded with another status', () => {
    const problems = problemsOf((spec) => {
      const error = spec.components.responses.Error.content['application/xml'].examples['error-access-denied'];
      jobsPage(spec)['zero-jobs']['x-ci-recording'] = 'DescribeMediaJobs/error-access-denied.http';
      jobsPage(spec)['zero-jobs'].value = error.value;
    });
    expect(problems).toEqual([
      expect.stringMatching(/zero-jobs: specs\/recordings\/DescribeMediaJobs\/error-access-denied\.http answered 403, not 200/),
    ]);
  });

  test('an example (and recording) the spec schema refuses', () => {
    // a recording altered in memory: an element the spec lacks decodes (kept), but is an issue and does not validate
    const alter = (xml: string) => xml.replace('<State>Paused</State>', '<State>Paused</State><Mood>sleepy</Mood>');
    const spec = loadSpec();
    const ex = spec.paths['/queue'].get.responses['200'].content['application/xml'].examples.paged;
    ex.value = alter(ex.value);
    const { problems } = checkSpecExamples(spec, (name) => {
      const rec = loadRecording(name);
      return rec && name === 'DescribeMediaQueues/paged.http'
        ? { ...rec, response: { ...rec.response, body: alter(rec.response.body) } }
        : rec;
    });
    expect(problems).toEqual([
      'DescribeMediaQueues response 200/examples/paged: decodes with an issue: Response.QueueList[0].Mood[0] is not in the spec',
      expect.stringMatching(
        /DescribeMediaQueues response 200\/examples\/paged: does not validate against the spec: \/QueueList\/0 must NOT have additional properties/,
      ),
    ]);
  });

  test('a changed webhook example (the job notification), XML and JSON', () => {
    const problems = problemsOf((spec) => {
      const content = spec.webhooks.JobNotification.post.requestBody.content;
      const xml = content['application/xml'].examples['doc-sample'];
      xml.value = xml.value.replace('<State>Success</State>', '<State>Failed</State>');
      const json = content['application/json'].examples['doc-sample-json'];
      json.value = json.value.replace('"State": "Success"', '"State": "Failed"');
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^webhook JobNotification application\/xml\/examples\/doc-sample: differs from the request body of specs\/recordings\/JobNotification\/doc-sample\.http/,
      ),
      expect.stringMatching(/^webhook JobNotification application\/json\/examples\/doc-sample-json: differs from the request body/),
    ]);
  });

  test('examples nobody checks, and a singular example', () => {
    const problems = problemsOf((spec) => {
      spec.components.responses.Error.headers['x-ci-request-id'].examples = { x: { value: 'abc' } };
      spec.paths['/jobs'].get.parameters[0].example = 'p893bcda225bf4945a378da6662e81a89';
    });
    expect(problems).toEqual([
      expect.stringMatching(/^#\/paths\/~1jobs\/get\/parameters\/0: use `examples`/),
      expect.stringMatching(/^#\/components\/responses\/Error\/headers\/x-ci-request-id: these examples are never checked/),
    ]);
  });
});
