# syntax=docker/dockerfile:1
# zapledger gateway: Node 22 on Debian bookworm, driving Debian's Chromium through WPPConnect.
# docker build -t zapledger .   (docker-compose.yml builds it for its two gateway replicas)

# ---- build: install everything, compile TypeScript (src and migrations) into dist/, drop dev dependencies
FROM node:22-bookworm-slim AS build
WORKDIR /app
# Chromium comes from Debian's package in the runtime stage; Puppeteer must not download its own
# (.puppeteerrc.cjs says so too). Dev dependencies with optional native parts (cpu-features, from testcontainers)
# may fail to compile here without build tools; npm skips them, and they are pruned below anyway.
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY console ./console
# npm ci runs the `prepare` script, which is `npm run build` (tsconfig.build.json: src and migrations into dist/,
# then Vite: the web console into dist/console); the tests fail the image if either is missing.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund \
 && test -f dist/src/main.js \
 && test -f dist/console/index.html \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: Chromium, tini, fonts; the compiled gateway and its production dependencies only
FROM node:22-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium tini fonts-liberation ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Non-root; Chromium keeps its caches under HOME, the gateway everything else under DATA_DIR.
RUN groupadd --system --gid 10001 zapledger \
 && useradd --system --uid 10001 --gid zapledger --create-home --home-dir /home/zapledger \
      --shell /usr/sbin/nologin zapledger \
 && mkdir -p /data \
 && chown zapledger:zapledger /data
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium \
    PORT=3000 \
    PUPPETEER_SKIP_DOWNLOAD=true
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER zapledger
# Embedded database (when DATABASE_URL is unset), browser profiles (DATA_DIR/sessions) and generated secrets.
VOLUME /data
EXPOSE 3000
# No curl in the image: node fetches /healthz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini reaps Chromium's child processes and passes SIGTERM on, so the gateway closes its sessions in order.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
