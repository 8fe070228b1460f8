# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npx nest build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/app/var
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Volumes in docker-compose.yml: artifacts (shared by api and worker) and the worker's outbox; a new
# volume takes its directory's owner from the image.
RUN mkdir -p /app/var/artifacts /app/var/outbox && chown -R node:node /app/var
USER node
EXPOSE 3000
# SIGTERM reaches node directly (exec form), which drains and closes everything within SHUTDOWN_GRACE_MS.
# The node flags are `npm start`'s (package.json; docs/operations.md says why).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
