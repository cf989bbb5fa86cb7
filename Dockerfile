# syntax=docker/dockerfile:1
# Multi-stage: build everything with dev dependencies, ship only the runtime pieces.

FROM node:20-bookworm-slim AS build
# pkcs11js (master keys in a PKCS#11 HSM) compiles a native addon at install: node-gyp needs these.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/vault/package.json libs/vault/
COPY libs/intercom/package.json libs/intercom/
COPY libs/contracts/package.json libs/contracts/
COPY libs/token-client/package.json libs/token-client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs api web && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps/api/package.json ./apps/api/package.json
COPY --from=build /app/apps/api/dist ./apps/api/dist
COPY --from=build /app/apps/web/dist ./apps/web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "apps/api/dist/apps/api/src/main.js"]
