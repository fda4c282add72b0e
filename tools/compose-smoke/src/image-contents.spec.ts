import { describe, expect, it } from 'vitest';
import { checkImageContents } from './image-contents.js';

const listing = (top: string[], lab: string[]) => JSON.stringify({ top, lab });
const WRITER_LIBS = ['config', 'http', 'lifecycle', 'logger', 'metrics', 'nats', 'queue', 'simulation', 'writer'];

describe('checkImageContents', () => {
  it('passes a service image with its own production dependencies and workspaces', () => {
    expect(checkImageContents('writer', listing(['@concurrency-lab', 'express', 'pino', 'pino-pretty', 'zod'], WRITER_LIBS))).toEqual({
      problems: [],
      summary: 'writer: 5 packages, 9 workspaces',
    });
  });

  it("finds every workspace's dependencies in one image, as the images had them", () => {
    const everything = listing(['autocannon', 'pino-pretty', 'sax', 'zod'], [...WRITER_LIBS, 'coordinator', 'reader', 'testing', 'bench']);
    expect(checkImageContents('writer', everything).problems).toEqual([
      'writer carries autocannon, sax',
      'writer links @concurrency-lab/coordinator, @concurrency-lab/reader, @concurrency-lab/testing, @concurrency-lab/bench',
    ]);
  });

  it('finds a missing pino-pretty, a missing own link and a listing that is not one', () => {
    expect(checkImageContents('reader', listing(['zod'], ['config'])).problems).toEqual([
      'reader does not link its own workspace',
      'reader lacks pino-pretty (LOG_FORMAT=pretty)',
    ]);
    expect(checkImageContents('reader', 'OCI runtime exec failed').problems[0]).toMatch(/could not read the listing/);
  });
});
