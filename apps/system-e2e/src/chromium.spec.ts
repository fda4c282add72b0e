import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumPath, CHROMIUM_MISSING } from './support/chromium.js';

describe('chromiumPath', () => {
  it('fails with how to install Chromium when there is none, rather than letting the browser test skip', () => {
    expect(() => chromiumPath({ PATH: '/nonexistent' })).toThrow(CHROMIUM_MISSING);
    expect(CHROMIUM_MISSING).toContain('apt-get install -y chromium');
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium', PATH: '' })).toThrow(
      /CHROMIUM_PATH is \/nonexistent\/chromium, which does not exist/,
    );
  });

  it('takes CHROMIUM_PATH first, or finds a Chromium on the PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clab-chromium-'));
    try {
      writeFileSync(join(dir, 'chromium-browser'), '');
      expect(chromiumPath({ PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'chromium-browser'));
      expect(chromiumPath({ CHROMIUM_PATH: process.execPath, PATH: dir })).toBe(process.execPath);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
