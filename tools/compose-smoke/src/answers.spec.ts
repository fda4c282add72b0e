import { describe, expect, it } from 'vitest';
import {
  checkDistributedAnswer,
  checkLessonQueueRun,
  checkLessonSimulation,
  checkQueueAnswer,
  checkSimulationAnswer,
  describeBody,
} from './answers.js';

const COORDINATOR = 7;
const MODES = ['sequential', 'processes', 'pool', 'threads', 'async'] as const;
const NAMES = ['file-01', 'file-02', 'file-03'];
const pidsFor: Record<(typeof MODES)[number], number[]> = {
  sequential: [COORDINATOR, COORDINATOR, COORDINATOR],
  processes: [52, 53, 54],
  pool: [19, 20, 19],
  threads: [COORDINATOR, COORDINATOR, COORDINATOR],
  async: [COORDINATOR, COORDINATOR, COORDINATOR],
};

/** A POST /simulations compare report as the coordinator answers it, trimmed to what is checked. */
function compareReport() {
  return {
    runId: 'sim-1',
    mode: 'compare',
    workload: 'io',
    coordinatorPid: COORDINATOR,
    hostCores: 2,
    table: MODES.map((mode) => ({ mode, totalMs: 300, idealMs: 200 })),
    runs: Object.fromEntries(
      MODES.map((mode) => [
        mode,
        {
          runId: 'sim-1',
          mode,
          coordinatorPid: COORDINATOR,
          tasks: NAMES.map((name, i) => ({ name, durationMs: 150, pid: pidsFor[mode][i], threadId: 0 })),
        },
      ]),
    ),
  };
}

describe('checkSimulationAnswer', () => {
  it('passes a 201 with every task in every mode and the pids where they ran', () => {
    expect(checkSimulationAnswer(201, compareReport(), 3)).toEqual({
      problems: [],
      summary: '5 modes x 3 tasks, coordinator pid 7, processes pids 52 53 54',
      runId: 'sim-1',
    });
  });

  it('explains a 202 (still running) and quotes a problem+json', () => {
    expect(checkSimulationAnswer(202, { id: 'sim-2', status: 'running' }, 3).problems[0]).toMatch(
      /expected 201, got 202 \(202: the comparison was still running/,
    );
    const problem = { type: 'about:blank', title: 'Too many runs', status: 429, detail: '4 simulations are running' };
    expect(checkSimulationAnswer(429, problem, 3).problems).toEqual(['expected 201, got 429: Too many runs: 4 simulations are running']);
  });

  it('finds a missing task, a missing mode report and tasks without pids', () => {
    const report = compareReport();
    report.runs['pool']!.tasks.pop();
    delete report.runs['async'];
    (report.runs['threads']!.tasks[0] as Record<string, unknown>)['pid'] = undefined;
    const { problems } = checkSimulationAnswer(201, report, 3);
    expect(problems).toContain('pool: 2 tasks, expected 3');
    expect(problems).toContain('no report for mode async');
    expect(problems).toContain('threads: 1 task(s) without a pid');
  });

  it('finds tasks that ran somewhere else than the mode says', () => {
    const report = compareReport();
    report.runs['processes']!.tasks[1]!.pid = 52;
    report.runs['sequential']!.tasks[2]!.pid = 99;
    const { problems } = checkSimulationAnswer(201, report, 3);
    expect(problems).toEqual([
      "sequential: pids 7, 7, 99 should all be the coordinator's 7",
      'processes: pids 52, 52, 54 should be one new process per task',
    ]);
  });

  it('finds a process task run in the coordinator itself, and tasks that differ between modes', () => {
    const report = compareReport();
    report.runs['processes']!.tasks[0]!.pid = COORDINATOR;
    report.runs['async']!.tasks[0]!.name = 'other';
    const { problems } = checkSimulationAnswer(201, report, 3);
    expect(problems).toContain("processes: a task ran in the coordinator's own process 7");
    expect(problems.some((problem) => problem.startsWith('async: tasks ["other","file-02","file-03"] differ'))).toBe(true);
  });

  it('refuses a body that is not a report', () => {
    expect(checkSimulationAnswer(201, 'oops', 3).problems).toEqual(['the answer is not a JSON object']);
    expect(checkSimulationAnswer(201, { mode: 'processes', table: [] }, 3).problems).toEqual([
      'no runId',
      'mode is "processes", expected "compare"',
      'coordinatorPid is undefined',
      'the table has no rows',
    ]);
  });
});

const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** A POST /queue-runs report with three readers in three containers (same pid, different hosts). */
function queueReport(items = ITEMS) {
  const hosts = ['h1', 'h2', 'h3'];
  return {
    runId: 'q-1',
    items: items.length,
    transport: 'jetstream',
    totalMs: 637.3,
    writerPid: 7,
    readerPids: [7],
    readers: hosts.map((host) => ({ host, pid: 7, items: items.length / hosts.length })),
    redelivered: 0,
    readOnce: items.length,
    readAgain: 0,
    timeline: items.map((item, i) => ({ seq: i + 1, item, writerPid: 7, writerHost: 'w', readerPid: 7, readerHost: hosts[i % 3] })),
  };
}

describe('checkQueueAnswer', () => {
  it('passes a 200 with every item once, written and read by processes with pids', () => {
    expect(checkQueueAnswer(200, queueReport(), ITEMS)).toEqual({
      problems: [],
      summary: '6/6 items, writer pid 7, 3 reader(s) (2+2+2 items), 637.3 ms',
      runId: 'q-1',
      readers: ['h1/7', 'h2/7', 'h3/7'],
    });
  });

  it('flags items read once and read again that do not add up to the items', () => {
    expect(checkQueueAnswer(200, { ...queueReport(), readOnce: 4, readAgain: 1 }, ITEMS).problems).toEqual([
      'readOnce 4 + readAgain 1 is not the 6 items',
    ]);
  });

  it('handles items that repeat', () => {
    const items = ['x', 'x', 'y'];
    expect(checkQueueAnswer(200, queueReport(items), items).problems).toEqual([]);
  });

  it('names missing, unexpected and duplicated items', () => {
    const report = queueReport();
    report.timeline[5] = { ...report.timeline[5]!, item: 'z' };
    report.timeline[4] = { ...report.timeline[3]! };
    const { problems } = checkQueueAnswer(200, report, ITEMS);
    expect(problems).toContain('items missing from the timeline: ["e","f"]');
    expect(problems).toContain('unexpected items in the timeline: ["d","z"]');
    expect(problems).toContain('an item appears twice in the timeline (same seq)');
  });

  it('finds items without pids and reader counts that do not add up', () => {
    const report = queueReport();
    (report.timeline[0] as Record<string, unknown>)['readerPid'] = null;
    (report as Record<string, unknown>)['writerPid'] = 0;
    report.readers.pop();
    const { problems } = checkQueueAnswer(200, report, ITEMS);
    expect(problems).toEqual(['1 item(s) without a reader pid', 'writerPid is 0', 'the readers read 4 items in all, expected 6']);
  });

  it('quotes the problem of a failed run', () => {
    const problem = {
      title: 'No writer available',
      detail: 'no writer answered within 5000 ms',
      runId: 'q-2',
      failure: 'writer-unavailable',
    };
    const check = checkQueueAnswer(503, problem, ITEMS);
    expect(check.problems).toEqual(['expected 200, got 503: No writer available: no writer answered within 5000 ms']);
    expect(check.runId).toBe('q-2');
  });
});

describe('describeBody', () => {
  it('shortens long bodies', () => {
    expect(describeBody('x'.repeat(400))).toHaveLength(301);
    expect(describeBody({ a: 1 })).toBe('{"a":1}');
  });
});

/** The lesson's comparison as the coordinator answers a no-body POST /simulations: 6 s and 9 s downloads. */
function lessonReport({ sequentialMs = 15_040, processesMs = 9_210, durations = [6_000, 9_000] } = {}) {
  const names = ['Python introduction.pdf', 'av.avi'];
  const tasks = (pids: number[]) => names.map((name, i) => ({ name, durationMs: durations[i], pid: pids[i], threadId: 0 }));
  return {
    runId: 'lesson-1',
    mode: 'compare',
    coordinatorPid: COORDINATOR,
    table: [
      { mode: 'sequential', totalMs: sequentialMs },
      { mode: 'processes', totalMs: processesMs },
    ],
    runs: {
      sequential: { mode: 'sequential', totalMs: sequentialMs, tasks: tasks([COORDINATOR, COORDINATOR]) },
      processes: { mode: 'processes', totalMs: processesMs, tasks: tasks([61, 62]) },
    },
  };
}

describe('checkLessonSimulation', () => {
  it('passes the finished lesson: sequential about the sum, processes about the longer download, two processes', () => {
    const check = checkLessonSimulation(201, lessonReport());
    expect(check.problems).toEqual([]);
    expect(check.summary).toMatch(/^sequential 15040 ms \(sum 15000\), processes 9210 ms \(longest 9000\)/);
  });

  it("says why a 202 is wrong: the default wait did not cover the lesson's run", () => {
    expect(checkLessonSimulation(202, { id: 'x', status: 'running' }).problems[0]).toMatch(/202: the comparison was still running/);
  });

  it('finds scaled-down downloads, totals that are not about the sum and the longest, and a missing mode', () => {
    expect(checkLessonSimulation(201, lessonReport({ durations: [600, 900], sequentialMs: 1_510, processesMs: 920 })).problems[0]).toMatch(
      /the lesson's take 5 to 10 s/,
    );
    const slow = checkLessonSimulation(201, lessonReport({ processesMs: 15_100 })).problems;
    expect(slow).toContain('processes took 15100 ms, expected about the longest 9000 ms');
    expect(slow).toContain('processes (15100 ms) was not faster than sequential (15040 ms)');
    expect(checkLessonSimulation(201, lessonReport({ sequentialMs: 9_100 })).problems).toContain(
      'sequential took 9100 ms, expected about the sum 15000 ms',
    );
    const report = lessonReport() as { runs: Record<string, unknown>; table: unknown[] };
    delete report.runs['processes'];
    report.table.pop();
    expect(checkLessonSimulation(201, report).problems).toContain('the lesson compares sequential and processes: a report is missing');
  });
});

/** The lesson's queue run as a no-body POST /queue-runs answers it: written 0, 3, 6 s, read from 6 s, 3 s each. */
function lessonQueueRun(overrides: Record<string, unknown> = {}, reads: number[] = [6_010, 9_020, 12_030]) {
  const items = ['python introduction', 'av.avi', 'java introduction'];
  return {
    runId: 'queue-lesson',
    items: 3,
    readerStart: 'after-writer',
    writeDelayMs: 3_000,
    readDelayMs: 3_000,
    totalMs: 15_040,
    writerPid: 7,
    readerPids: [7],
    readers: [{ host: 'r1', pid: 7, items: 3 }],
    readOnce: 3,
    timeline: items.map((item, i) => ({
      seq: i + 1,
      item,
      writtenAtMs: i * 3_000,
      writerPid: 7,
      readStartedAtMs: reads[i],
      readAtMs: (reads[i] ?? 0) + 3_000,
      readerPid: 7,
    })),
    ...overrides,
  };
}

describe('checkLessonQueueRun', () => {
  it('passes the lesson: three items read once, in order, by a reader started after the writer', () => {
    const check = checkLessonQueueRun(200, lessonQueueRun());
    expect(check.problems).toEqual([]);
    expect(check.summary).toMatch(/^read order 1,2,3, last write 6000 ms, first read 6010 ms/);
  });

  it('finds a reader that read while the writer wrote, items out of order, scaled pauses and a lost item', () => {
    expect(checkLessonQueueRun(200, lessonQueueRun({ readerStart: 'concurrent' }, [10, 3_020, 6_030])).problems).toEqual([
      'readerStart is "concurrent": the lesson starts the reader after the writer',
      'the first read began at 10 ms, before the last write at 6000 ms',
    ]);
    expect(checkLessonQueueRun(200, lessonQueueRun({}, [12_030, 6_010, 9_020])).problems).toContain(
      'read in the order [2,3,1], not as written',
    );
    expect(checkLessonQueueRun(200, lessonQueueRun({ writeDelayMs: 300, readDelayMs: 300, totalMs: 1_500 })).problems).toEqual([
      "pauses 300/300 ms: the lesson's are 3 s",
      "totalMs 1500: the lesson's run takes 15 s or more",
    ]);
    const lost = lessonQueueRun();
    lost.timeline.pop();
    expect(checkLessonQueueRun(200, lost).problems).toContain('seqs [1,2]: expected 1, 2, 3, nothing lost');
  });
});

describe('checkDistributedAnswer', () => {
  const task = (name: string, host: string, pid: number, attempts = 1) => ({ name, host, pid, attempts, threadId: 0 });
  const answer = (tasks: unknown[]) => ({ runId: 'r', mode: 'distributed', tasks });

  it('passes every task once over two or more hosts, and names the downloaders', () => {
    const check = checkDistributedAnswer(201, answer([task('a', 'c1', 7), task('b', 'c2', 7), task('c', 'c1', 7, 2)]), 3, 2);
    expect(check.problems).toEqual([]);
    expect(check.downloaders).toEqual(['c1/7', 'c2/7']);
    expect(check.summary).toBe('3 tasks on 2 downloader(s) on 2 host(s), 1 retried');
  });

  it('fails one host, a missing or doubled task, a task without its host, and a status other than 201', () => {
    expect(checkDistributedAnswer(201, answer([task('a', 'c1', 7), task('b', 'c1', 8)]), 2, 2).problems).toEqual([
      'the tasks ran on 1 host(s) (c1), expected at least 2',
    ]);
    expect(checkDistributedAnswer(201, answer([task('a', 'c1', 7), task('a', 'c2', 7)]), 3, 2).problems).toEqual([
      '2 tasks, expected 3',
      'a task appears twice: ["a","a"]',
    ]);
    expect(checkDistributedAnswer(201, answer([{ name: 'a', pid: 7 }, task('b', 'c2', 7)]), 2, 1).problems).toEqual([
      '1 task(s) without a host and pid',
    ]);
    expect(checkDistributedAnswer(503, { title: 'Mode unavailable', detail: 'no downloader' }, 2, 2).problems).toEqual([
      'expected 201, got 503: Mode unavailable: no downloader',
    ]);
  });
});
