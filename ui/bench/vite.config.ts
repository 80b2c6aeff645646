import { defineConfig } from 'vite';
// The benchmark page (not shipped): built into target/bench by bench/render.mjs.
export default defineConfig({ root: import.meta.dirname, base: './', build: { outDir: '../target/bench', emptyOutDir: true, rollupOptions: { input: 'bench.html' } } });
