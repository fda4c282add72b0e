import { describe, expect, it } from 'vitest';
import { checkedInTypes, coordinatorDocument, generateTypes, REGENERATE_COMMAND } from '../scripts/openapi-types.js';

describe('src/generated/openapi.ts', () => {
  it("matches the coordinator's current OpenAPI document", async () => {
    const fresh = await generateTypes(await coordinatorDocument());
    const checkedIn = await checkedInTypes();
    expect(
      checkedIn === fresh,
      `src/generated/openapi.ts is out of date with apps/coordinator/src/openapi.ts: run \`${REGENERATE_COMMAND}\` and commit the result`,
    ).toBe(true);
  });

  it('describes the routes the client calls', async () => {
    const checkedIn = await checkedInTypes();
    for (const route of [
      '"/simulations"',
      '"/simulations/{id}"',
      '"/simulations/{id}/events"',
      '"/queue-runs"',
      '"/healthz"',
      '"/readyz"',
      '"/openapi.json"',
    ]) {
      expect(checkedIn).toContain(`${route}: {`);
    }
  });
});
