import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The images are built by `npx nx run-many -t docker-build` (and by this
 * smoke test through compose); `npm test` must not need a Docker engine.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(resolve(root, path), 'utf8')) as Record<string, unknown>;
type Target = {
  executor?: string;
  cache?: boolean;
  parallelism?: boolean;
  dependsOn?: unknown[];
  options?: { command?: string; cwd?: string };
};
const targetsOf = (pkg: Record<string, unknown>) => (pkg['nx'] as { targets?: Record<string, Target> } | undefined)?.targets ?? {};

/** Every app with a tsconfig.app.json is a service the Dockerfile builds. */
const services = readdirSync(resolve(root, 'apps')).filter((app) => existsSync(resolve(root, 'apps', app, 'tsconfig.app.json')));

describe('docker-build targets', () => {
  it('exist for the four services', () => {
    expect(services.sort()).toEqual(['coordinator', 'downloader', 'reader', 'writer']);
  });

  it.each(services)('%s builds its image from the root Dockerfile, one build at a time, never cached', (service) => {
    const target = targetsOf(readJson(`apps/${service}/package.json`))['docker-build'];
    expect(target?.executor).toBe('nx:run-commands');
    // BuildKit, which the Dockerfile needs (RUN --mount), also where it is not yet docker build's default (Docker 20.10).
    expect(target?.options?.command).toBe(`DOCKER_BUILDKIT=1 docker build --build-arg SERVICE=${service} -t concurrency-lab/${service} .`);
    expect(target?.options?.cwd).toBe('{workspaceRoot}');
    expect(target?.cache).toBe(false);
    expect(target?.parallelism).toBe(false);
  });

  it('are not part of npm test: not among its targets, and nothing depends on them', () => {
    const scripts = readJson('package.json')['scripts'] as Record<string, string>;
    expect(scripts['test']).not.toMatch(/docker/);
    const nxJson = readJson('nx.json');
    const everyTarget = [
      ...Object.values((nxJson['targetDefaults'] ?? {}) as Record<string, Target>),
      ...['apps', 'libs', 'tools'].flatMap((dir) =>
        readdirSync(resolve(root, dir))
          .filter((name) => existsSync(resolve(root, dir, name, 'package.json')))
          .flatMap((name) => Object.values(targetsOf(readJson(`${dir}/${name}/package.json`)))),
      ),
    ];
    for (const target of everyTarget) expect(JSON.stringify(target.dependsOn ?? [])).not.toContain('docker-build');
  });
});
