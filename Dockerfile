# The news bot as a container image: a build stage that compiles the TypeScript, and a small runtime stage
# with production dependencies only. test/dockerfile/dockerfile.test.ts performs these steps without Docker
# (npm run test:dockerfile), so keep each instruction simple enough for it to follow.

# Both stages use the same exact tag: native modules (better-sqlite3) are compiled in the build
# stage and must load in the runtime stage, so the Node version and the C library have to match.
# Node 20 is the line CI tests on (package.json engines: >=20.19); move both lines together.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app

# A C/C++ toolchain for node-gyp, for native dependencies; it stays in this stage and never reaches the runtime image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# node-gyp builds better-sqlite3 against the headers the node image ships under /usr/local/include/node,
# rather than downloading them from nodejs.org: the build then works behind a firewall too.
ENV npm_config_nodedir=/usr/local

# The manifest and lock file first, in a layer of their own: a source change then reuses the cached install.
# npm ci installs exactly the lock file, development dependencies included, since the build needs TypeScript.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig*.json ./
COPY src ./src
RUN npm run build

# Drop TypeScript, vitest, eslint and the rest, so the runtime stage copies production dependencies only.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
# Production mode: JSON logs even at a terminal, and libraries skip their development paths.
ENV NODE_ENV=production
WORKDIR /app

# Code and dependencies stay owned by root: the bot, running as node, can read them but not change them.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json

# The stories and the default configuration are baked in, so the image runs on its own; bind-mount a folder
# over /app/content or /app/config to publish other content or settings without rebuilding.
COPY content ./content
COPY config ./config

# The one writable place, for state the bot keeps (the planned SQLite store). It is created and handed to
# node before VOLUME, because a new named volume starts as a copy of this directory, owner included.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data

# The official image's unprivileged user (uid 1000).
USER node

# The ops endpoint (/healthz, /readyz, /metrics) is on by default in the container, for the health check below.
ENV OPS_PORT=9090
# 3000: Slack HTTP mode (PORT); 9090: the ops endpoint (OPS_PORT).
EXPOSE 3000 9090

# Liveness through node itself (slim images have no curl or wget); exec form, so no shell is needed. It must
# exit 1 on any failure: an error status, a refused connection, a timeout, or OPS_PORT unset.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.OPS_PORT + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]

# Exec form, with node as PID 1: SIGTERM from docker stop reaches the bot itself (no shell or npm in between
# to swallow it), and the bot stops in order and exits 0 (src/main.ts installs the handlers).
CMD ["node", "dist/main.js"]
