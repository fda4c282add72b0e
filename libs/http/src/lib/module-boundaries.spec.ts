import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The tags' boundaries (root eslint.config.js) hold: each case lints a made-up
 * file, as `nx lint` would, in the project it would sit in. The file is never
 * written; ESLint is given its path and its text.
 */
const workspace = fileURLToPath(new URL('../../../../', import.meta.url));

async function boundaryErrors(project: string, file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: `${workspace}${project}` });
  const [result] = await eslint.lintText(code, { filePath: `${workspace}${project}/${file}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('module boundaries', () => {
  it('let shared infrastructure import shared infrastructure', async () => {
    expect(
      await boundaryErrors(
        'libs/http',
        'src/lib/fixture.ts',
        "import { createLogger } from '@concurrency-lab/logger';\nexport const logger = createLogger;\n",
      ),
    ).toEqual([]);
  });

  it('refuse a domain library in shared infrastructure', async () => {
    const errors = await boundaryErrors(
      'libs/http',
      'src/lib/fixture.ts',
      "import { RUN_MODES } from '@concurrency-lab/simulation';\nexport const modes = RUN_MODES;\n",
    );
    expect(errors).toContainEqual(
      expect.stringContaining('A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared"'),
    );
  });

  it("refuse one domain's library in another's", async () => {
    const errors = await boundaryErrors(
      'libs/simulation',
      'src/lib/fixture.ts',
      "import { QUEUE_STREAM } from '@concurrency-lab/queue';\nexport const stream = QUEUE_STREAM;\n",
    );
    expect(errors).toContainEqual(
      expect.stringContaining('"scope:simulation" can only depend on libs tagged with "scope:simulation", "scope:shared"'),
    );
  });

  it('let only test code use libs/testing', async () => {
    const code = "import { freePort } from '@concurrency-lab/testing';\nexport const port = freePort;\n";
    expect(await boundaryErrors('apps/reader', 'src/fixture.ts', code)).toContainEqual(
      expect.stringContaining('A project tagged with "type:app" can only depend on libs tagged with'),
    );
    expect(await boundaryErrors('apps/reader', 'src/fixture.spec.ts', code)).toEqual([]);
  });
});
