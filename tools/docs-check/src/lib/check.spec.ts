import { describe, expect, it } from 'vitest';
import { checkCiCommands, checkMarkers, checkScriptable } from './check.js';
import { extractCommands } from './extract.js';

const fence = '```';
const blocksOf = (markdown: string) => extractCommands('doc.md', markdown);

describe('checkMarkers', () => {
  it('accepts known tags and reasoned not-run markers', () => {
    const { blocks, strayMarkers } = blocksOf(
      [
        '<!-- runs-in: compose-smoke -->',
        `${fence}sh`,
        'docker compose ps',
        fence,
        '<!-- not-run: starts a long-running process -->',
        `${fence}sh`,
        'npm start',
        fence,
      ].join('\n'),
    );
    expect(checkMarkers(blocks, strayMarkers)).toEqual([]);
  });

  it('names an unmarked block, an unknown tag, a bare not-run and a stray marker, with their lines', () => {
    const markdown = [
      `${fence}sh`,
      'ls',
      fence,
      '<!-- runs-in: somewhere -->',
      `${fence}sh`,
      'ls',
      fence,
      '<!-- not-run: no -->',
      `${fence}sh`,
      'ls',
      fence,
      '<!-- runs-in: ci -->',
      'prose',
    ].join('\n');
    const { blocks, strayMarkers } = blocksOf(markdown);
    const problems = checkMarkers(blocks, strayMarkers);
    expect(problems.map((p) => p.line)).toEqual([1, 5, 9, 12]);
    expect(problems[0]!.message).toContain('no marker');
    expect(problems[1]!.message).toContain('unknown tag "somewhere"');
    expect(problems[2]!.message).toContain('reason');
    expect(problems[3]!.message).toContain('not right before a shell block');
  });
});

describe('checkCiCommands', () => {
  const script = [
    '#!/usr/bin/env bash',
    'npm ci --no-audit --no-fund',
    'npm test',
    'DOCKER_BUILDKIT=0 npm run smoke:compose',
    '# npm run bench',
  ].join('\n');

  it('accepts commands .ci/run runs, with more options or environment assignments there', () => {
    const { blocks } = blocksOf(['<!-- runs-in: ci -->', `${fence}sh`, 'npm ci', 'npm test', 'npm run smoke:compose', fence].join('\n'));
    expect(checkCiCommands(blocks, script)).toEqual([]);
  });

  it('rejects a command it does not run, a commented-out one and a prefix of a longer word', () => {
    const { blocks } = blocksOf(['<!-- runs-in: ci -->', `${fence}sh`, 'npm run bench', 'npm t', 'npm test -- --watch', fence].join('\n'));
    expect(checkCiCommands(blocks, script).map((p) => p.line)).toEqual([3, 4, 5]);
  });
});

describe('checkScriptable', () => {
  it('accepts unattended commands, and -f or placeholders in blocks that do not run', () => {
    const { blocks } = blocksOf(
      [
        '<!-- runs-in: compose-smoke -->',
        `${fence}sh`,
        'docker compose exec -T nats wget -qO- http://127.0.0.1:8222/jsz',
        'docker compose exec --user root -T writer id',
        'curl -s 127.0.0.1:3000/x -d \'{"a":"<b>"}\' > /dev/null',
        'docker compose logs reader | grep x',
        fence,
        '<!-- not-run: an example for a person -->',
        `${fence}sh`,
        'docker compose logs -f',
        'curl 127.0.0.1:3000/simulations/<id>',
        fence,
      ].join('\n'),
    );
    expect(checkScriptable(blocks)).toEqual([]);
  });

  it('names exec without -T anywhere, and -f or a placeholder in a block that runs', () => {
    const { blocks } = blocksOf(
      [
        '<!-- not-run: an example for a person -->',
        `${fence}sh`,
        'docker compose exec writer node -e 1',
        fence,
        '<!-- runs-in: compose-smoke -->',
        `${fence}sh`,
        'docker compose logs -f reader',
        'curl -o x.svg 127.0.0.1:3000/simulations/<id>/timeline.svg',
        'docker-compose exec nats ls',
        fence,
      ].join('\n'),
    );
    const problems = checkScriptable(blocks);
    expect(problems.map((p) => p.line)).toEqual([3, 7, 8, 9]);
    expect(problems[0]!.message).toContain('-T');
    expect(problems[1]!.message).toContain('never ends');
    expect(problems[2]!.message).toContain('placeholder');
    expect(problems[3]!.message).toContain('-T');
  });
});
