# One image per service of the monorepo:
#   docker build --build-arg SERVICE=coordinator -t concurrency-lab/coordinator .
# SERVICE is coordinator, writer or reader. docker-compose.yml builds all three,
# and so does `npx nx run-many -t docker-build`.
#
# Classic-builder compatible on purpose (no RUN --mount, no heredocs): the
# local engine builds with DOCKER_BUILDKIT=0.

# --- manifests: only the package.json files and the lockfile -----------------
# COPY cannot copy apps/*/package.json keeping the folders without BuildKit,
# so copy everything and delete the rest. Stages below COPY --from this one,
# and that COPY is cached by content: `npm ci` reruns only when a manifest or
# the lockfile changes, and a new workspace needs no edit here.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -mindepth 1 -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -mindepth 1 -type d -empty -delete

# --- build: all dependencies, compile every service and the libs they use -----
# Nothing here depends on SERVICE until the last step, so the three images
# share this stage: `npm ci` and the TypeScript build run once, not per service.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY --from=manifests /app/ ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY libs/ libs/
COPY apps/ apps/
# tsc --build follows the project references, so only the libs the services
# reference are compiled (nx would add a daemon and plugin workers for nothing
# here). That includes libs/testing, which the libs reference for their specs.
# Every app with a tsconfig.app.json is a service (system-e2e has none).
RUN npx tsc --build apps/*/tsconfig.app.json
# Declared this late so that everything above is shared by the three images.
ARG SERVICE
RUN test -n "$SERVICE" && test -f "apps/$SERVICE/dist/main.js" \
 || { echo "build arg SERVICE must name a service in apps/ (coordinator, writer or reader), got '$SERVICE'" >&2; exit 1; }
# Gather into /out the dist/ of the app and of every workspace package it
# depends on at run time (its `dependencies`, transitively, read from the
# lockfile's workspace links); dev-only ones such as libs/testing stay out.
# Types, source maps and build info are of no use without the sources.
# CMD in exec form cannot expand $SERVICE, so /out/main.js links to the
# service's entry point; node follows the link to the real file, so the
# app's relative imports still work.
# The coordinator's web page has no build step: its plain files in src/page
# go to dist/page, where the coordinator looks for them.
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
      console.log([...seen].join('\n'));" > /tmp/runtime-packages \
 && echo "runtime packages:" && cat /tmp/runtime-packages \
 && while read -r dir; do mkdir -p "/out/$dir" && cp -r "$dir/dist" "/out/$dir/dist"; done < /tmp/runtime-packages \
 && if [ -d "apps/$SERVICE/src/page" ]; then cp -r "apps/$SERVICE/src/page" "/out/apps/$SERVICE/dist/page"; fi \
 && find /out \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' \) -delete \
 && ln -s "apps/$SERVICE/dist/main.js" /out/main.js && test -f /out/main.js

# --- runtime: production dependencies and compiled JavaScript only ------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Every workspace's package.json is present so that `npm ci` creates the
# node_modules/@concurrency-lab/* links: the coordinator's forked task
# processes, like the services, import the libs through those links.
COPY --from=manifests /app/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Declared after `npm ci` so the three images share the node_modules layer.
ARG SERVICE
ENV SERVICE=${SERVICE}
# The service's compiled JavaScript and the main.js link to its entry point.
COPY --from=build /out/ ./
USER node
# No HEALTHCHECK here: the port differs per service; docker-compose.yml sets one.
CMD ["node", "main.js"]
