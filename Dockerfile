# One Dockerfile, one target per service: `docker build --target producer|indexer|api .`
# Services run their TypeScript sources directly on Node 24 (type stripping). Node refuses to strip
# types inside node_modules, so the workspace layout is kept: packages and services live under /app
# and pnpm links them into node_modules instead of copying them there.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install --global --no-audit --no-fund pnpm@12.4.2
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
# patchedDependencies (pnpm-workspace.yaml): applied by pnpm install
COPY patches patches
COPY packages/shared/package.json packages/shared/
COPY services/producer/package.json services/producer/
COPY services/indexer/package.json services/indexer/
COPY services/api/package.json services/api/
COPY tools/package.json tools/
COPY web/package.json web/

# --- production dependencies, one set per service ------------------------------------------------
FROM workspace AS producer-deps
RUN pnpm install --prod --frozen-lockfile --filter @wikistream/producer...

FROM workspace AS indexer-deps
RUN pnpm install --prod --frozen-lockfile --filter @wikistream/indexer...

FROM workspace AS api-deps
RUN pnpm install --prod --frozen-lockfile --filter @wikistream/api...

# --- the dashboard, built once and served by the api ---------------------------------------------
FROM workspace AS web-build
RUN pnpm install --frozen-lockfile --filter @wikistream/web...
# web/tsconfig.json extends the workspace's base configuration.
COPY tsconfig.base.json ./
COPY packages/shared packages/shared
COPY web web
RUN pnpm --filter @wikistream/web run build

# --- runtime images --------------------------------------------------------------------------------
# Each image runs its service's start script (services/*/package.json) as the container's own
# process: the script's variables as ENV, its node command as CMD (a test keeps the two equal), so
# SIGTERM from `docker stop` reaches node and the service shuts down gracefully.
FROM ${NODE_IMAGE} AS runtime
# The project's version (the root package.json's; a test keeps this default equal to it) and the
# commit, as OCI labels: `pnpm release` passes both, a plain `docker compose build` the default.
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/wikistream/wikistream" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.description="wikistream: Wikimedia's live changes through Kafka into Elasticsearch"
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --chown=1000:1000 package.json ./
COPY --chown=1000:1000 packages/shared packages/shared

FROM runtime AS producer
LABEL org.opencontainers.image.title="wikistream-producer"
COPY --from=producer-deps --chown=1000:1000 /app/node_modules node_modules
COPY --from=producer-deps --chown=1000:1000 /app/packages/shared/node_modules packages/shared/node_modules
COPY --from=producer-deps --chown=1000:1000 /app/services/producer/node_modules services/producer/node_modules
COPY --chown=1000:1000 services/producer services/producer
WORKDIR /app/services/producer
USER 1000:1000
ENV METRICS_PORT=9101
EXPOSE 9101
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "--disable-warning=TimeoutNegativeWarning", "src/main.ts"]

FROM runtime AS indexer
LABEL org.opencontainers.image.title="wikistream-indexer"
COPY --from=indexer-deps --chown=1000:1000 /app/node_modules node_modules
COPY --from=indexer-deps --chown=1000:1000 /app/packages/shared/node_modules packages/shared/node_modules
COPY --from=indexer-deps --chown=1000:1000 /app/services/indexer/node_modules services/indexer/node_modules
COPY --chown=1000:1000 services/indexer services/indexer
WORKDIR /app/services/indexer
USER 1000:1000
ENV METRICS_PORT=9102
EXPOSE 9102
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "--disable-warning=TimeoutNegativeWarning", "src/main.ts"]

FROM runtime AS api
LABEL org.opencontainers.image.title="wikistream-api"
COPY --from=api-deps --chown=1000:1000 /app/node_modules node_modules
COPY --from=api-deps --chown=1000:1000 /app/packages/shared/node_modules packages/shared/node_modules
COPY --from=api-deps --chown=1000:1000 /app/services/api/node_modules services/api/node_modules
COPY --chown=1000:1000 services/api services/api
COPY --from=web-build --chown=1000:1000 /app/web/dist web/dist
WORKDIR /app/services/api
USER 1000:1000
ENV PORT=3000 WEB_DIST_DIR=/app/web/dist
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "--disable-warning=TimeoutNegativeWarning", "src/main.ts"]
