# sls-trigger in a container: `sls-trigger run` with the job config mounted at
# /etc/sls-trigger/job.json and its probes and metrics on port 9464 (docs/operations.md).
#   docker build -t sls-trigger .
#   docker run --rm -v "$PWD/job.json:/etc/sls-trigger/job.json:ro" \
#     -e ALIBABA_CLOUD_ACCESS_KEY_ID -e ALIBABA_CLOUD_ACCESS_KEY_SECRET -p 9464:9464 sls-trigger

# Build: compile, then keep only the production dependencies from the lockfile (lz4's native addon
# is compiled here, where the toolchain is).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# tini as PID 1: signals reach sls-trigger (SIGTERM drains in-flight tasks) and zombies are reaped
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN ln -s /app/bin/sls-trigger.js /usr/local/bin/sls-trigger
# the image's own user (uid 1000), never root
USER node
EXPOSE 9464
ENTRYPOINT ["/usr/bin/tini", "--", "sls-trigger"]
CMD ["run", "--config", "/etc/sls-trigger/job.json", "--metrics", "0.0.0.0:9464"]
