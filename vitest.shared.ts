import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * One vitest setup for every project. Workspace packages resolve to their
 * TypeScript sources through the `@concurrency-lab/source` export condition,
 * so a test never runs against a stale build of a library it imports.
 */
export function projectTestConfig(
  projectRoot: string,
  overrides: { testTimeout?: number; hookTimeout?: number; include?: string[] } = {},
): ViteUserConfig {
  const conditions = ['@concurrency-lab/source', ...defaultServerConditions];
  return defineConfig({
    root: projectRoot,
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: overrides.include ?? ['src/**/*.spec.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: overrides.hookTimeout ?? 30_000,
      // expect.poll gives up after 1 s by default: too short on a loaded 2-core CI machine
      // where a dozen test processes run at once. A condition that never holds still fails.
      expect: { poll: { timeout: 10_000 } },
      reporters: ['default'],
      // Specs start real servers and processes; keep them in separate forks
      // so a leak in one file cannot bleed into the next.
      pool: 'forks',
    },
  });
}
