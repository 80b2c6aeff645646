import { defineConfig } from 'vite';
// The benchmark page (not shipped): built into target/bench by bench/server.mjs. bench/profile.mjs builds it
// unminified (PORTOLAN_BENCH_UNMINIFIED=1) so the profile names functions.
export default defineConfig({ root: import.meta.dirname, base: './', build: { outDir: '../target/bench', emptyOutDir: true,
  minify: !process.env.PORTOLAN_BENCH_UNMINIFIED, rollupOptions: { input: 'bench.html' } } });
