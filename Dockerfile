# Avlasta's image for the Temporal worker, the bot worker and the API server (see docker-compose.yml).
# Chromium is Debian's package, driven by playwright-core: nothing downloads a browser at build time.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# Compilers only in this stage, in case better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium-headless-shell fonts-liberation fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    AVLASTA_CHROMIUM=/usr/lib/chromium/chromium-headless-shell \
    AVLASTA_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
# TypeScript runs through tsx, as in development: one code path, no separate build output.
CMD ["npx", "tsx", "cli/avlasta.ts", "serve", "--host", "0.0.0.0", "--port", "8080"]
