import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageDirectory, pageRoutes } from './page.js';

describe('the page files', () => {
  it('are found beside the routes when run from source', () => {
    const directory = pageDirectory();
    expect(directory).toMatch(/apps\/coordinator\/src\/page\/?$/);
    for (const file of ['index.html', 'page.js', 'page.css', 'icon.svg']) expect(existsSync(join(directory, file)), file).toBe(true);
  });

  it('stop the app from being made when one is missing, naming it', () => {
    expect(() => pageRoutes('/nonexistent/page')).toThrow(/index\.html/);
  });
});
