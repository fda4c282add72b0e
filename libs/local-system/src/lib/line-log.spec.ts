import { describe, expect, it } from 'vitest';
import { LineLog } from './line-log.js';

describe('LineLog', () => {
  it('resolves a wait with a line seen before or arriving later', async () => {
    const log = new LineLog();
    log.push('{"msg":"early"}');
    expect(await log.waitForLine((line) => line.msg === 'early')).toEqual({ msg: 'early' });
    const later = log.waitForLine((line) => line.msg === 'late');
    log.push('not json');
    log.push('{"msg":"late","n":2}');
    expect(await later).toEqual({ msg: 'late', n: 2 });
    expect(log.lines[1]).toEqual({ msg: 'not json', unparsed: true });
  });

  it('rejects pending waits when the source is gone, and after the timeout', async () => {
    const log = new LineLog();
    const pending = log.waitForLine((line) => line.msg === 'never');
    log.fail(new Error('process exited'));
    await expect(pending).rejects.toThrow('process exited');
    await expect(log.waitForLine(() => false, 20, 'svc')).rejects.toThrow(/svc: no matching log line within 20 ms/);
  });
});
