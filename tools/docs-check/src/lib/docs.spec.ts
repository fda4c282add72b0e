import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocs, docFiles } from './docs.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

// The repository's own docs: this is the test `npm test` fails on when a
// shell block is not accounted for or a relative link points nowhere.
describe("the repository's docs", () => {
  it('cover README.md and every docs/*.md', () => {
    const files = docFiles(ROOT);
    expect(files[0]).toBe('README.md');
    expect(files).toEqual(
      expect.arrayContaining(['docs/api.md', 'docs/architecture.md', 'docs/benchmarks.md', 'docs/observability.md', 'docs/operations.md']),
    );
  });

  it('mark every shell block honestly and link only to what exists', () => {
    const checked = checkDocs(ROOT);
    expect(checked.blocks.length).toBeGreaterThan(10);
    expect(checked.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('have the four commands of "Run it" run by the compose smoke', () => {
    const readme = checkDocs(ROOT, ['README.md']).blocks.filter((b) => b.marker?.kind === 'runs-in' && b.marker.tag === 'compose-smoke');
    const commands = readme.flatMap((b) => b.commands.map((c) => c.text));
    expect(commands).toEqual(
      expect.arrayContaining([
        'docker compose up --build -d --wait',
        'curl -s -XPOST 127.0.0.1:3000/simulations',
        'curl -s -XPOST 127.0.0.1:3000/queue-runs',
        'docker compose logs',
      ]),
    );
  });
});
