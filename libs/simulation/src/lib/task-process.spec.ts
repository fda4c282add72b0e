import { fork } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TaskAssignment, TaskMessage } from './child-protocol.js';
import { childProgram } from './program.js';

/** Runs one task in a real task process and returns what it printed. */
async function runTaskProcess(logFormat: TaskAssignment['logFormat'], logLevel = 'info'): Promise<string[]> {
  const program = childProgram('task-process');
  const child = fork(program.path, [], { execArgv: program.execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'], serialization: 'json' });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const assignment: TaskAssignment = {
    runId: 'format-run',
    mode: 'processes',
    index: 0,
    task: { name: 'a.pdf', durationMs: 10 },
    workload: 'io',
    iterationsPerMs: 1,
    service: 'coordinator',
    logLevel,
    logFormat,
  };
  const finished = new Promise<void>((resolve) => child.on('message', (message: TaskMessage) => message.type === 'finished' && resolve()));
  child.send(assignment);
  await finished;
  child.disconnect();
  await once(child, 'exit');
  return printed.trim() === '' ? [] : printed.trim().split('\n');
}

describe('task process logs', () => {
  it('writes JSON lines by default, carrying its own pid and role', async () => {
    const lines = (await runTaskProcess('json')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['msg'])).toEqual(['download started', 'download finished']);
    expect(lines[0]).toMatchObject({ service: 'coordinator', role: 'task-process', runId: 'format-run', file: 'a.pdf' });
    expect(lines[0]?.['pid']).not.toBe(process.pid);
  });

  it("writes readable lines when the coordinator's format is pretty", async () => {
    const lines = await runTaskProcess('pretty');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): coordinator: download (started|finished) \{/);
  });

  it('writes nothing, and still reports its task, when its level drops info lines', async () => {
    expect(await runTaskProcess('json', 'warn')).toEqual([]);
  });
});
