/// <reference types="vitest" />
import { defineConfig } from 'vite';

// The Maven build runs `npm run build`; the jar carries target/classes/portolan-ui/ and the gateway
// serves it at the root URL. Hashed file names under assets/ are cached for a year by UiRoutes.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/classes/portolan-ui',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: { index: 'index.html' },
    },
  },
  // vitest: the unit tests only (bench/layout.e2e.mjs is a browser test run by node --test: npm run test:browser).
  test: { include: ['src/**/*.test.ts'] },
  server: {
    proxy: { '/api': { target: 'http://localhost:4040', ws: true }, '/health': 'http://localhost:4040' },
  },
});
