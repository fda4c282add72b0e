import { describe, expect, it } from 'vitest';
import type { RunArchive, StoredRun } from './run-archive.js';
import { parseRunId } from './run-id.js';
import { RunRegistry, TooManyRunsError, type RunRecord } from './run-registry.js';

type Event = { type: string; state?: string };
type Run = RunRecord<number, number, Event>;

/** Work that ends when told: the test decides when each run finishes or fails. */
function controllable() {
  let finish = (_value: number) => undefined as void;
  let fail = (_error: Error) => undefined as void;
  const promise = new Promise<number>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

function registry(options: Partial<ConstructorParameters<typeof RunRegistry<number, number, Event>>[0]> = {}) {
  return new RunRegistry<number, number, Event>({
    maxInFlight: 2,
    tooManyMessage: 'at most 2 tests run at once',
    history: { maxRuns: 3 },
    endEvent: (run) => ({ type: 'ended', state: run.state }),
    ...options,
  });
}

describe('RunRegistry', () => {
  it('refuses a run past the limit in flight, and takes one again once a run has ended', async () => {
    const runs = registry();
    const first = controllable();
    runs.start('a', 1, () => first.promise);
    runs.start('b', 2, () => new Promise<number>(() => undefined));
    expect(() => runs.start('c', 3, async () => 3)).toThrow(new TooManyRunsError('at most 2 tests run at once'));
    expect(runs.inFlight).toBe(2);
    first.finish(10);
    await runs.get('a')?.done;
    expect(runs.get('a')).toMatchObject({ state: 'finished', result: 10 });
    expect(runs.start('c', 3, async () => 3).state).toBe('running');
  });

  it('hands a subscriber the events so far, then the new ones, the end event last with the state settled', async () => {
    const runs = registry();
    const work = controllable();
    let emit = (_event: Event) => undefined as void;
    const run = runs.start('a', 1, (context) => {
      emit = context.emit;
      return work.promise;
    });
    emit({ type: 'one' });
    emit({ type: 'two' });
    expect(run.events.soFar().map((event) => event.type)).toEqual(['one', 'two']);
    const seen: Event[] = [];
    run.events.subscribe((event) => seen.push(event));
    emit({ type: 'three' });
    work.finish(1);
    await run.done;
    expect(seen).toEqual([{ type: 'one' }, { type: 'two' }, { type: 'three' }, { type: 'ended', state: 'finished' }]);
    const late: Event[] = [];
    run.events.subscribe((event) => late.push(event));
    expect(late).toEqual([{ type: 'ended', state: 'finished' }]);
  });

  it('cancels a run with its reason, and tells a failed run from a cancelled one', async () => {
    const runs = registry();
    const run = runs.start(
      'a',
      1,
      ({ signal }) => new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    );
    await runs.cancel('a', 'shutting down');
    expect(run).toMatchObject({ state: 'cancelled', errorMessage: 'shutting down' });
    const failing = runs.start('b', 2, async () => {
      throw new Error('broke');
    });
    await failing.done;
    expect(failing).toMatchObject({ state: 'failed', errorMessage: 'broke' });
    expect(await runs.cancel('nope')).toBeUndefined();
  });

  it('tells the observer of each run as it starts and as it ends, with its state', async () => {
    const seen: string[] = [];
    const runs = registry({
      observer: { runStarted: (run) => seen.push(`${run.id} ${run.state}`), runEnded: (run) => seen.push(`${run.id} ${run.state}`) },
    });
    await runs.start('a', 1, async () => 1).done;
    await runs.start('b', 2, async () => Promise.reject(new Error('no'))).done;
    expect(seen).toEqual(['a running', 'a finished', 'b running', 'b failed']);
  });

  it('keeps the latest runs, oldest first out, counting the running ones when told to; lists them newest first', async () => {
    const runs = registry({ history: { maxRuns: 3, countsRunning: true } });
    for (const id of ['a', 'b', 'c']) await runs.start(id, 0, async () => 0).done;
    runs.start('d', 0, () => new Promise<number>(() => undefined));
    expect(runs.get('a')).toBeUndefined();
    expect(runs.list().map((run: Run) => run.id)).toEqual(['d', 'c', 'b']);
  });

  it('bounds the weight of the history too, always keeping the newest, replacing a retried run, keeping only what it is told to', async () => {
    const runs = registry({
      history: { maxRuns: 10, maxWeight: 5, weightOf: (run) => run.result ?? 0, keeps: (run) => run.state === 'finished' },
    });
    await runs.start('a', 0, async () => 3).done;
    await runs.start('a', 0, async () => 3).done; // a retry: counted once
    await runs.start('b', 0, async () => 2).done;
    expect([runs.get('a')?.result, runs.get('b')?.result]).toEqual([3, 2]);
    await runs.start('huge', 0, async () => 50).done;
    expect(runs.list().map((run) => run.id)).toEqual(['huge']);
    await runs.start('lost', 0, async () => Promise.reject(new Error('no'))).done;
    expect(runs.get('lost')).toBeUndefined();
    expect(runs.get('huge')?.result).toBe(50);
  });

  it('writes each run to the archive as it starts and as it ends, in that order even when the first write is slow', async () => {
    const writes: string[] = [];
    const archived = new Map<string, StoredRun<number, number>>();
    let firstWrite = true;
    const archive: RunArchive<number, number> = {
      async save(run) {
        // The start's write takes longer than the end's: the registry must still store the end last.
        if (firstWrite) {
          firstWrite = false;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        writes.push(`${run.id} ${run.state}`);
        archived.set(run.id, run);
      },
      load: async (id) => archived.get(id),
    };
    const runs = registry({ archive });
    await runs.start('a', 7, async () => 42).done;
    await runs.recordsWritten();
    expect(writes).toEqual(['a running', 'a finished']);
    expect(archived.get('a')).toMatchObject({ id: 'a', input: 7, state: 'finished', result: 42 });
    expect(archived.get('a')?.endedAt).toBeInstanceOf(Date);
  });

  it('finds a run in memory first, else in the archive, and passes on an archive that cannot be asked', async () => {
    const elsewhere: StoredRun<number, number> = {
      id: 'b',
      input: 1,
      createdAt: new Date(0),
      state: 'running',
      owner: { instance: 'other', host: 'h', pid: 1 },
    };
    const archive: RunArchive<number, number> = {
      save: async () => undefined,
      load: async (id) => {
        if (id === 'down') throw new Error('records unavailable');
        return id === 'b' ? elsewhere : undefined;
      },
    };
    const runs = registry({ archive });
    await runs.start('a', 7, async () => 42).done;
    expect(await runs.find('a')).toMatchObject({ state: 'finished', result: 42 });
    expect((await runs.find('a'))?.owner).toBeUndefined();
    expect(await runs.find('b')).toEqual(elsewhere);
    expect(await runs.find('c')).toBeUndefined();
    await expect(runs.find('down')).rejects.toThrow('records unavailable');
    expect(await registry().find('b')).toBeUndefined();
  });
});

describe('parseRunId', () => {
  it('takes a UUID in either case, lower-cased, and nothing else', () => {
    expect(parseRunId('0E8B7F7A-1C2D-4E5F-8A9B-0C1D2E3F4A5B')).toBe('0e8b7f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(parseRunId('not-a-run')).toBeUndefined();
    expect(parseRunId('0e8b7f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/x')).toBeUndefined();
  });
});
