// Two entries, built separately into survey-app/dist: the citizen survey (tiny, served at
// /s/{token}) and the console (served at /console). The survey never imports console code.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { survey: `${root}survey/index.html`, console: `${root}console/index.html` },
    },
  },
});
