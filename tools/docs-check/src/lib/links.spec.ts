import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLinks, extractLinks, headingAnchors, headingSlug } from './links.js';

const root = mkdtempSync(join(tmpdir(), 'docs-check-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('headingSlug and headingAnchors', () => {
  it('make the anchors GitHub makes', () => {
    expect(headingSlug('`POST /queue-runs`')).toBe('post-queue-runs');
    expect(headingSlug('Configuration and credentials')).toBe('configuration-and-credentials');
    expect(headingSlug('`GET /simulations/:id`, `GET /simulations`')).toBe('get-simulationsid-get-simulations');
    expect([...headingAnchors('# A\n## Limits\n```sh\n# not a heading\n```\n### Limits\n')]).toEqual(['a', 'limits', 'limits-1']);
  });
});

describe('extractLinks', () => {
  it('finds inline, image and reference links outside code', () => {
    const markdown = [
      'See [api](docs/api.md#limits) and ![chart](img.svg "title").',
      '`[not](a-link.md)`',
      '```',
      '[inside](code.md)',
      '```',
      '[ref]: ./other.md',
    ].join('\n');
    expect(extractLinks(markdown)).toEqual([
      { target: 'docs/api.md#limits', line: 1 },
      { target: 'img.svg', line: 1 },
      { target: './other.md', line: 6 },
    ]);
  });
});

describe('checkLinks', () => {
  it('accepts links to files, folders and headings that exist, and skips external ones', () => {
    mkdirSync(join(root, 'docs'), { recursive: true });
    writeFileSync(
      join(root, 'docs', 'api.md'),
      '# API\n## Limits\n[back](../README.md#run-it) [self](#limits) [web](https://example.com/x)\n',
    );
    writeFileSync(join(root, 'README.md'), '# Lab\n## Run it\n[api](docs/api.md) [limits](docs/api.md#limits) [docs](docs/)\n');
    expect(checkLinks('README.md', root)).toEqual([]);
    expect(checkLinks('docs/api.md', root)).toEqual([]);
  });

  it('names a missing file and an anchor no heading makes', () => {
    writeFileSync(join(root, 'bad.md'), '# Bad\n[gone](docs/gone.md)\n[anchor](docs/api.md#nowhere) [own](#bad-1)\n');
    const problems = checkLinks('bad.md', root);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'link to docs/gone.md: docs/gone.md does not exist'],
      [3, 'link to docs/api.md#nowhere: no heading in docs/api.md makes the anchor #nowhere'],
      [3, 'link to #bad-1: no heading in bad.md makes the anchor #bad-1'],
    ]);
  });
});
