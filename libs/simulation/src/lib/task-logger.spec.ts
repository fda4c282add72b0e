import { describe, expect, it } from 'vitest';
import { taskLogger, writesInfo } from './task-logger.js';

describe('task logger', () => {
  it('is needed only when the level lets info lines through', () => {
    expect(['trace', 'debug', 'info'].map(writesInfo)).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map(writesInfo)).toEqual([false, false, false, false]);
    // A level name this table does not know: load the logger, which knows better than to guess.
    expect(writesInfo('custom')).toBe(true);
  });

  it('is not loaded at all when no line would be written', () => {
    // (Loading it, and its lines, are the task process spec's: it runs a real task process.)
    expect(taskLogger('coordinator', 'warn', 'json')).toBeNull();
    expect(taskLogger('coordinator', 'silent', 'pretty')).toBeNull();
  });
});
