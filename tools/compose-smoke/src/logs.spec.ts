import { describe, expect, it } from 'vitest';
import {
  checkPrettyLogs,
  checkServiceLogs,
  failedBlockLines,
  lineHasRunId,
  parseComposeLogs,
  runIdsByContainer,
  runStory,
  tailLines,
} from './logs.js';

const RUN_1 = '9b507a4b-a127-41ea-8dd1-f4851c757c5d';
const RUN_2 = '595e7425-a397-4048-a7d5-d3052ea531d5';
const pino = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'info', time: '2026-11-26T15:29:25.490Z', service: 'reader', host: 'f5e097e832e0', pid: 7, ...fields });

/** `docker-compose logs --no-color reader` (v1) after two runs, three replicas. */
const V1_READER_LOGS = [
  'Attaching to clab-smoke-x_reader_1, clab-smoke-x_reader_2, clab-smoke-x_reader_3',
  `reader_1  | ${pino({ msg: 'reader ready' })}`,
  `reader_1  | ${pino({ runId: RUN_1, seq: 1, item: 'a', msg: 'read started' })}`,
  `reader_1  | ${pino({ runId: RUN_1, seq: 1, item: 'a', msg: 'item read' })}`,
  `reader_2  | ${pino({ runId: RUN_2, seq: 7, item: 'a', msg: 'item read' })}`,
  `reader_3  | ${pino({ runId: RUN_2, seq: 8, item: 'b', msg: 'item read' })}`,
  `reader_3  | ${pino({ runId: RUN_2, seq: 9, item: 'c', msg: 'item read' })}`,
  '',
].join('\n');

describe('parseComposeLogs', () => {
  it("splits v1 lines into container and text, dropping lines that are no service's", () => {
    const lines = parseComposeLogs(V1_READER_LOGS);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({ container: 'reader_1', text: pino({ msg: 'reader ready' }) });
    expect(new Set(lines.map((line) => line.container))).toEqual(new Set(['reader_1', 'reader_2', 'reader_3']));
  });

  it('reads v2 prefixes and keeps "|" inside the text', () => {
    expect(parseComposeLogs('writer-1  | a | b\r\ncoordinator-1  |\n')).toEqual([
      { container: 'writer-1', text: 'a | b' },
      { container: 'coordinator-1', text: '' },
    ]);
  });
});

describe('lineHasRunId', () => {
  it('matches a JSON line by its runId field, not by the id appearing elsewhere', () => {
    expect(lineHasRunId(pino({ runId: RUN_1 }), RUN_1)).toBe(true);
    expect(lineHasRunId(pino({ runId: RUN_2, msg: `retry of ${RUN_1}` }), RUN_1)).toBe(false);
  });

  it('falls back to the text for lines that are not JSON (LOG_FORMAT=pretty)', () => {
    expect(lineHasRunId(`[15:29:25.490] INFO (reader/7): item read\n    runId: "${RUN_1}"`, RUN_1)).toBe(true);
    expect(lineHasRunId(`{not json ${RUN_1}`, RUN_1)).toBe(true);
    expect(lineHasRunId('INFO (reader/7): reader ready', RUN_1)).toBe(false);
  });
});

describe('runIdsByContainer', () => {
  it('counts the lines of each run per container', () => {
    const found = runIdsByContainer(parseComposeLogs(V1_READER_LOGS), [RUN_1, RUN_2, 'never']);
    expect(Object.fromEntries(found.get(RUN_1) ?? [])).toEqual({ reader_1: 2 });
    expect(Object.fromEntries(found.get(RUN_2) ?? [])).toEqual({ reader_2: 1, reader_3: 2 });
    expect(found.get('never')?.size).toBe(0);
  });
});

describe('checkServiceLogs', () => {
  it('passes when every run id is there, and says which replicas logged it', () => {
    const check = checkServiceLogs('reader', V1_READER_LOGS, [
      { runId: RUN_1, what: 'queue run 1' },
      { runId: RUN_2, what: 'queue run 2' },
    ]);
    expect(check).toEqual({
      problems: [],
      summary: 'reader: 2/2 run ids (queue run 1 2 lines; queue run 2 3 lines in reader_2, reader_3)',
    });
  });

  it('names each run id missing', () => {
    const check = checkServiceLogs('writer', `writer_1  | ${pino({ runId: RUN_1 })}\n`, [
      { runId: RUN_1, what: 'queue run 1' },
      { runId: RUN_2, what: 'queue run 2' },
    ]);
    expect(check.problems).toEqual([`writer logged nothing for queue run 2 ${RUN_2} (1 lines in its logs)`]);
    expect(check.summary).toBe('writer: 1/2 run ids (queue run 1 1 lines)');
  });

  it('fails on empty logs', () => {
    expect(checkServiceLogs('coordinator', '', [{ runId: RUN_1, what: 'simulation' }]).problems).toHaveLength(1);
  });
});

describe('tailLines', () => {
  it('keeps the last non-empty lines', () => {
    expect(tailLines('a\n\nb\nc\n\n', 2)).toEqual(['b', 'c']);
    expect(tailLines('a\n', 5)).toEqual(['a']);
    expect(tailLines('', 5)).toEqual([]);
  });
});

describe('runStory', () => {
  it("tells one run's lines from every container in time order, with the item and seq", () => {
    const lines = parseComposeLogs(
      [
        'reader-1  | {"level":"info","time":"2026-12-02T05:00:09.100Z","runId":"r1","seq":1,"item":"av.avi","msg":"item read"}',
        'writer-1  | {"level":"info","time":"2026-12-02T05:00:00.100Z","runId":"r1","seq":1,"item":"av.avi","msg":"item written"}',
        'writer-1  | {"level":"info","time":"2026-12-02T05:00:00.050Z","runId":"r2","msg":"another run"}',
        'writer-1  | not json r1',
      ].join('\n'),
    );
    expect(runStory(lines, 'r1')).toEqual([
      '05:00:00.100 writer-1       item written  seq=1 item=av.avi',
      '05:00:09.100 reader-1       item read  seq=1 item=av.avi',
    ]);
  });
});

describe('checkPrettyLogs', () => {
  it("passes pino-pretty's lines of the service, and names a JSON line or another service's", () => {
    const good = parseComposeLogs('writer-1  | [05:00:00.100] INFO (7): writer: item written {"runId":"r1","seq":1}');
    expect(checkPrettyLogs('writer', good)).toEqual({ problems: [], readable: 1 });
    const json = parseComposeLogs('writer-1  | {"level":"info","msg":"item written"}');
    expect(checkPrettyLogs('writer', json).problems).toEqual([
      'writer-1 wrote a line that is not a readable writer line: {"level":"info","msg":"item written"}',
      'writer logged no readable line',
    ]);
    expect(checkPrettyLogs('reader', good).problems[0]).toMatch(/not a readable reader line/);
  });
});

describe('parseComposeLogs and control sequences', () => {
  it('drops the erase-line sequence Compose v2 may put before the prefix', () => {
    expect(parseComposeLogs('\x1b[2Kreader-1  | {"msg":"reader ready"}')).toEqual([
      { container: 'reader-1', text: '{"msg":"reader ready"}' },
    ]);
  });
});

describe('failedBlockLines', () => {
  it("keeps only the failed blocks of docs-check's report, with what their commands printed", () => {
    const report = [
      'ok   docs/api.md:9',
      '       exit 0       curl -s 127.0.0.1:3000/healthz',
      'FAIL docs/api.md:12',
      '       exit 23      curl -s 127.0.0.1:3000/openapi.json | head -c 200',
      '         > curl: (23) Failure writing output to destination',
      'ok   docs/operations.md:22',
      '       exit 0       docker compose ps',
      '3 blocks, 3 commands tagged compose-smoke: 1 failed',
    ].join('\n');
    expect(failedBlockLines(report)).toEqual([
      'FAIL docs/api.md:12',
      '       exit 23      curl -s 127.0.0.1:3000/openapi.json | head -c 200',
      '         > curl: (23) Failure writing output to destination',
    ]);
  });
});
