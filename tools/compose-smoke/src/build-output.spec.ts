import { describe, expect, it } from 'vitest';
import { checkBuildOutput } from './build-output.js';

const BUILDKIT = `#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 4.12kB done
#1 DONE 0.1s

#7 [deps 3/3] RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
#7 22.97 added 120 packages in 19s
#7 DONE 23.4s

#9 [build 4/8] RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
#9 CACHED
`;

describe('checkBuildOutput', () => {
  it('sees a quiet BuildKit build, and counts the steps it ran and took from its cache', () => {
    expect(checkBuildOutput(BUILDKIT)).toEqual({ buildkit: true, cached: 1, ran: 2, noise: [] });
  });

  it("picks out npm's warnings and notices, once each", () => {
    const noisy = `${BUILDKIT}#10 [runtime 3/4] RUN npm ci --omit=dev && npm cache clean --force
#10 31.2 npm warn using --force Recommended protections disabled.
#10 55.80 npm notice New major version of npm available! 11.19.1 -> 12.2.2
#10 55.80 npm notice New major version of npm available! 11.19.1 -> 12.2.2
#10 DONE 56.2s
`;
    expect(checkBuildOutput(noisy).noise).toEqual([
      '#10 31.2 npm warn using --force Recommended protections disabled.',
      '#10 55.80 npm notice New major version of npm available! 11.19.1 -> 12.2.2',
    ]);
  });

  it("tells the classic builder's output from BuildKit's", () => {
    const classic = 'Step 1/12 : FROM node:24-bookworm-slim AS manifests\n ---> 80e543090312\nStep 2/12 : WORKDIR /app\n';
    expect(checkBuildOutput(classic).buildkit).toBe(false);
  });
});
