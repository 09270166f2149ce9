// Three pages, built into survey-app/dist: the citizen survey (tiny, served at /s/{token}), an
// official's single-use link (as tiny, /o/{token}, sharing the survey's sending code) and the
// console (served at /console). Neither survey page imports console code.
// The survey's service worker is a fourth entry, written to dist/sw.js without a hash: its
// address must stay the same from one release to the next. The manifest lets
// scripts/bundle-size.ts measure exactly what the survey page loads.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes the build's asset paths into sw.js, first line: a new release is then a new worker to
 * the browser, and activating it drops the assets of earlier builds (survey/sw-assets.ts).
 */
const workerAssetList: Plugin = {
  name: 'sipas-worker-asset-list',
  enforce: 'post',
  generateBundle(_options, bundle) {
    const worker = bundle['sw.js'];
    if (worker?.type !== 'chunk') return this.error('the build made no sw.js');
    const assets = Object.keys(bundle)
      .filter((file) => file.startsWith('assets/'))
      .map((file) => `/${file}`)
      .sort();
    worker.code = `self.SIPAS_BUILD_ASSETS=${JSON.stringify(assets)};\n${worker.code}`;
  },
};

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [workerAssetList],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // Cheap phones run old browsers: syntax they all parse (Chrome 80, Safari 14).
    target: ['es2020', 'chrome80', 'safari14'],
    rollupOptions: {
      input: {
        survey: `${root}survey/index.html`,
        officials: `${root}officials/index.html`,
        console: `${root}console/index.html`,
        sw: `${root}survey/sw.ts`,
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
        // One chunk for what the citizen's page shares with an official's page and the console
        // (Preact, the shared rules, the survey's storage, sending, frame and worker
        // registration): the citizen's page then loads two scripts, not five, and compresses
        // better (15.8 KB gzipped, scripts/bundle-size.ts; 16.0 KB split). Never the service
        // worker's own modules: a worker cannot import a chunk.
        codeSplitting: {
          groups: [
            {
              name: 'common',
              test: /modulepreload-polyfill|node_modules[\\/]preact|shared[\\/]rules|survey-app[\\/]survey[\\/](store|send|payload|frame|offline)/,
            },
          ],
        },
      },
    },
  },
});
