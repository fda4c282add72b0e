# One image per service of the monorepo:
#   DOCKER_BUILDKIT=1 docker build --build-arg SERVICE=coordinator -t concurrency-lab/coordinator .
# SERVICE is coordinator, writer, reader or downloader. docker-compose.yml builds all four,
# and so does `npx nx run-many -t docker-build`.
#
# Needs BuildKit (RUN --mount), the builder of `docker compose` (v2), of
# `docker buildx build` and of `docker build` since Docker 23. Compose v1 uses
# it with DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1. Only what BuildKit's
# built-in Dockerfile frontend understands (no `# syntax=` line, no heredocs,
# no COPY --parents), as a frontend image may not be pullable.
#
# Each image carries its own service's production dependencies and compiled
# JavaScript, nothing else: no dev tools, no other service's or tool's packages.

# --- manifests: only the package.json files and the lockfile -----------------
# Copied out of a bind mount of the build context: the stages below COPY --from
# this one, and that COPY is cached by content, so `npm ci` reruns only when a
# manifest or the lockfile changes, and a new workspace needs no edit here.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
RUN --mount=type=bind,target=/context \
    cd /context \
 && find . \( -name package.json -o -name package-lock.json \) -print | xargs cp --parents --target-directory=/app

# --- service-manifests: what `npm ci` needs for SERVICE's production dependencies
# The workspace packages SERVICE depends on at run time: its `dependencies`,
# transitively, read from the lockfile's workspace links (dev-only ones such as
# libs/testing stay out). With only their package.json files beside the root's,
# npm's workspaces are exactly those, and `npm ci --omit=dev` installs their
# dependencies and links them, nothing more.
FROM manifests AS service-manifests
ARG SERVICE
RUN test -n "$SERVICE" && test -f "apps/$SERVICE/package.json" \
 || { echo "build arg SERVICE must name a service in apps/ (coordinator, writer, reader or downloader), got '$SERVICE'" >&2; exit 1; }
RUN node -e " \
      const lock = require('./package-lock.json'); \
      const todo = ['apps/' + process.env.SERVICE], seen = new Set(); \
      while (todo.length) { \
        const dir = todo.pop(); \
        if (seen.has(dir)) continue; \
        seen.add(dir); \
        for (const name of Object.keys(require('./' + dir + '/package.json').dependencies || {})) { \
          const entry = lock.packages['node_modules/' + name]; \
          if (entry && entry.link) todo.push(entry.resolved); \
        } \
      } \
      console.log([...seen].sort().join('\n'));" > /runtime-packages \
 && echo "runtime packages of $SERVICE:" && cat /runtime-packages \
 && mkdir /deps && cp package.json package-lock.json /deps/ \
 && while read -r dir; do mkdir -p "/deps/$dir" && cp "$dir/package.json" "/deps/$dir/"; done < /runtime-packages

# --- deps: SERVICE's production dependencies -----------------------------------
# npm's cache lives in a BuildKit cache mount: rebuilds reuse the downloads, and
# no cache (nor an `npm cache clean --force` and its warning) ends up in the image.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY --from=service-manifests /deps/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --no-update-notifier

# --- build: all dependencies, compile every service and the libs they use -----
# Nothing here depends on SERVICE, so the three images share this stage: `npm ci`
# and the TypeScript build run once, not per service.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY --from=manifests /app/ ./
# --ignore-scripts: tsc is all this stage runs; the install scripts (esbuild's, nx's) serve the dev tools.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier
COPY tsconfig.base.json ./
COPY libs/ libs/
COPY apps/ apps/
# tsc --build follows the project references, so only the libs the services
# reference are compiled (nx would add a daemon and plugin workers for nothing
# here). That includes libs/testing, which the libs reference for their specs.
# Every app with a tsconfig.app.json is a service (system-e2e has none).
RUN node_modules/.bin/tsc --build apps/*/tsconfig.app.json

# --- service-build: SERVICE's compiled JavaScript, gathered into /out ----------
# The dist/ of the app and of each workspace package it uses at run time. Types,
# source maps and build info are of no use without the sources. CMD in exec
# form cannot expand $SERVICE, so /out/main.js links to the service's entry
# point; node follows the link to the real file, so relative imports still work.
# The coordinator's web page has no build step: its plain files in src/page go
# to dist/page, where the coordinator looks for them.
FROM build AS service-build
ARG SERVICE
COPY --from=service-manifests /runtime-packages /runtime-packages
RUN test -f "apps/$SERVICE/dist/main.js" \
 && while read -r dir; do mkdir -p "/out/$dir" && cp -r "$dir/dist" "/out/$dir/dist"; done < /runtime-packages \
 && if [ -d "apps/$SERVICE/src/page" ]; then cp -r "apps/$SERVICE/src/page" "/out/apps/$SERVICE/dist/page"; fi \
 && find /out \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' \) -delete \
 && ln -s "apps/$SERVICE/dist/main.js" /out/main.js && test -f /out/main.js

# --- runtime: production dependencies and compiled JavaScript only ------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# node_modules with the @concurrency-lab/* links to the workspace packages: the
# coordinator's forked task processes, like the services, import the libs through them.
COPY --from=deps /app/ ./
ARG SERVICE
ENV SERVICE=${SERVICE}
# The service's compiled JavaScript and the main.js link to its entry point.
COPY --from=service-build /out/ ./
USER node
# No HEALTHCHECK here: the port differs per service; docker-compose.yml sets one.
CMD ["node", "main.js"]
