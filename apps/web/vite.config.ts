import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @sluice/web dev` proxies the API and socket.io to a server started with `npm start`.
const target = process.env.SLUICE_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': target,
      '/healthz': target,
      '/readyz': target,
      '/socket.io': { target, ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
});
