# syntax=docker/dockerfile:1
# ConnectDesk image: the release folder of `pnpm release` (compiled server, built widget and admin
# app, production dependencies only) on a slim Node 20, run as the unprivileged `node` user with its
# data in the /data volume. See docs/DEPLOYMENT.md.
#
#   docker build -t connectdesk .
#   docker run -d -p 127.0.0.1:3000:3000 -v connectdesk-data:/data -e SANDBOX=true connectdesk

# The Node version CI tests with. Pin the digest too (node:20.20.2-bookworm-slim@sha256:…) if your
# registry policy asks for it.
ARG NODE_VERSION=20.20.2

# --- build: Node with compilers (the full Debian image has python3, make and g++ for sqlite3) -----
FROM node:${NODE_VERSION}-bookworm AS build
# The pnpm of package.json's packageManager field, so pnpm does not fetch another one.
RUN npm i -g pnpm@10.34.9
# sqlite3 is compiled here against this Node's own headers (no prebuilt binary downloaded).
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    CI=true
WORKDIR /src

# Manifests first: this layer (the slow install and the sqlite3 compile) is reused until the
# lockfile or a package.json changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY widget/package.json widget/
COPY admin/package.json admin/
COPY test/package.json test/
COPY bench/package.json bench/
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile

COPY . .
# Build widget, admin and server, then assemble /release with production dependencies only.
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm release --out /release

# --- run: slim Node, no compilers, no pnpm, no sources ---------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only for the server: it writes only to /data.
COPY --from=build /release/ ./
# Created before VOLUME so a new volume starts out owned by `node`.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# 200 once migrated and ready; 503 while shutting down, so a proxy stops sending work.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server finishes in-flight requests and sends, closes the database and exits 0 on SIGTERM
# (allow it ~15 s: `docker stop -t 30`, compose `stop_grace_period`).
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "server/dist/main.js"]
