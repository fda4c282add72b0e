import { describe, expect, it } from 'vitest';
import { extractCommands, parseMarker } from './extract.js';

const fence = '```';

describe('extractCommands', () => {
  it('takes every line of an sh block as a command, joining continuations and skipping comments', () => {
    const markdown = [
      '# Title',
      '',
      '<!-- runs-in: compose-smoke -->',
      `${fence}sh`,
      '# a comment',
      'docker compose up -d   # trailing comment',
      'curl -s 127.0.0.1:3000/x \\',
      "  -d '{}'",
      'docker compose logs |',
      '  grep x',
      fence,
    ].join('\n');
    const { blocks, strayMarkers } = extractCommands('README.md', markdown);
    expect(strayMarkers).toEqual([]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ file: 'README.md', line: 4, language: 'sh', marker: { kind: 'runs-in', tag: 'compose-smoke' } });
    expect(blocks[0]!.commands).toEqual([
      { text: 'docker compose up -d   # trailing comment', line: 6 },
      { text: "curl -s 127.0.0.1:3000/x \\\n  -d '{}'", line: 7 },
      { text: 'docker compose logs |\n  grep x', line: 9 },
    ]);
  });

  it('takes only the prompted lines of a console block, output aside', () => {
    const markdown = [
      '<!-- not-run: needs a person at the keyboard -->',
      `${fence}console`,
      '$ npm run compare -- \\',
      '> --seed 11',
      'mode  total',
      '$ echo hi',
      'hi',
      fence,
    ].join('\n');
    const { blocks } = extractCommands('a.md', markdown);
    expect(blocks[0]!.marker).toEqual({ kind: 'not-run', reason: 'needs a person at the keyboard' });
    expect(blocks[0]!.commands.map((c) => c.text)).toEqual(['npm run compare -- \\\n--seed 11', 'echo hi']);
    expect(blocks[0]!.commands.map((c) => c.line)).toEqual([3, 6]);
  });

  it('leaves json and plain blocks alone, and an unmarked shell block unmarked', () => {
    const markdown = [`${fence}json`, '{"a":1}', fence, '', 'text', '', `${fence}bash`, 'ls', fence].join('\n');
    const { blocks } = extractCommands('a.md', markdown);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.marker).toBeUndefined();
  });

  it('finds blocks indented in a list item and dedents them', () => {
    const markdown = ['- step:', '', '  <!-- runs-in: ci -->', `  ${fence}sh`, '  npm test', `  ${fence}`].join('\n');
    const { blocks } = extractCommands('a.md', markdown);
    expect(blocks[0]!.marker).toEqual({ kind: 'runs-in', tag: 'ci' });
    expect(blocks[0]!.commands).toEqual([{ text: 'npm test', line: 5 }]);
  });

  it('reports a marker with prose or a non-shell block after it as stray', () => {
    const markdown = [
      '<!-- runs-in: ci -->',
      'some prose',
      '',
      '<!-- not-run: output only here -->',
      `${fence}json`,
      '{}',
      fence,
      '<!-- runs-in ci -->',
    ].join('\n');
    const { strayMarkers } = extractCommands('a.md', markdown);
    expect(strayMarkers.map((m) => m.line)).toEqual([1, 4, 8]);
  });

  it('does not count a marker separated from its block by prose', () => {
    const markdown = ['<!-- runs-in: ci -->', 'prose', `${fence}sh`, 'npm test', fence].join('\n');
    const { blocks } = extractCommands('a.md', markdown);
    expect(blocks[0]!.marker).toBeUndefined();
  });
});

describe('parseMarker', () => {
  it('reads both kinds and rejects other comments', () => {
    expect(parseMarker('<!-- runs-in: compose-smoke -->')).toEqual({ kind: 'runs-in', tag: 'compose-smoke' });
    expect(parseMarker('  <!--not-run:   placeholders to fill in -->')).toEqual({ kind: 'not-run', reason: 'placeholders to fill in' });
    expect(parseMarker('<!-- a note -->')).toBeUndefined();
  });
});
