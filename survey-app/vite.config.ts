// Three pages, built into survey-app/dist: the citizen survey (tiny, served at /s/{token}), an
// official's single-use link (as tiny, /o/{token}, sharing the survey's sending code) and the
// console (served at /console). Neither survey page imports console code.
// The citizen's page is built on its own, its script and style written into the page itself:
// on slow 3G each round trip costs about 400 ms, and a page that needs nothing more shows its
// first question one round trip sooner than a page that then asks for its script and style.
// The survey's service worker is a further entry, written to dist/sw.js without a hash: its
// address must stay the same from one release to the next. The manifest lets
// scripts/bundle-size.ts measure exactly what the official's page loads.
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** What both builds share: the source's JSX and the browsers the pages must run in. */
const shared = {
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
} satisfies UserConfig;
/** Cheap phones run old browsers: syntax they all parse (Chrome 80, Safari 14). */
const target = ['es2020', 'chrome80', 'safari14'];

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

/**
 * Text that would end its element early, or open a comment in it, cannot go into the page as
 * is; the build stops rather than write a page that breaks.
 */
function inlined(code: string, tag: 'script' | 'style'): string {
  if (new RegExp(`</${tag}|<!--`, 'i').test(code)) {
    throw new Error(`The survey's ${tag} holds text that cannot stand inside <${tag}>.`);
  }
  return code.trim();
}

/**
 * The citizen's page, survey/index.html, built alone so that its script is one self-contained
 * module, then written with that script and its style inside it. Its server adds the CSP
 * hashes of both (api/routes/static.ts).
 */
async function inlineSurveyPage(): Promise<string> {
  const output = await build({
    ...shared,
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target,
      // One module and nothing to preload: the polyfill would be dead weight.
      modulePreload: false,
      rollupOptions: { input: `${root}survey/index.html` },
    },
  });
  const files = (Array.isArray(output) ? output : [output]).flatMap((o) =>
    'output' in o ? o.output : [],
  );
  const page = files.find((f) => f.fileName === 'survey/index.html');
  const scripts = files.filter((f) => f.type === 'chunk');
  const styles = files.filter((f) => f.type === 'asset' && f.fileName.endsWith('.css'));
  const script = scripts[0];
  const style = styles[0];
  if (page?.type !== 'asset' || scripts.length !== 1 || !script || styles.length > 1) {
    throw new Error(
      `The survey page must build to one page, one script and at most one style, not: ${files.map((f) => f.fileName).join(', ')}`,
    );
  }
  if (files.length !== 2 + styles.length) {
    throw new Error(
      `The survey page loads more than its script and style: ${files.map((f) => f.fileName).join(', ')}`,
    );
  }
  const console = Object.keys(script.modules).find((id) => id.startsWith(`${root}console/`));
  if (console) throw new Error(`The survey page would load console code: ${console}`);
  let html = String(page.source);
  const scriptTag = new RegExp(
    `<script type="module" crossorigin src="/${script.fileName}"></script>`,
  );
  if (!scriptTag.test(html)) throw new Error('The built survey page has no module script.');
  html = html.replace(
    scriptTag,
    () => `<script type="module">${inlined(script.code, 'script')}</script>`,
  );
  if (style?.type === 'asset') {
    const styleTag = new RegExp(`<link rel="stylesheet" crossorigin href="/${style.fileName}">`);
    if (!styleTag.test(html)) throw new Error('The built survey page has no stylesheet link.');
    html = html.replace(styleTag, () => `<style>${inlined(String(style.source), 'style')}</style>`);
  }
  return html;
}

/** Writes the citizen's page, built apart (inlineSurveyPage), among this build's files. */
const surveyPage: Plugin = {
  name: 'sipas-survey-page',
  async generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'survey/index.html',
      source: await inlineSurveyPage(),
    });
  },
};

export default defineConfig({
  ...shared,
  plugins: [workerAssetList, surveyPage],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target,
    rollupOptions: {
      input: {
        officials: `${root}officials/index.html`,
        console: `${root}console/index.html`,
        sw: `${root}survey/sw.ts`,
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
        // One chunk for what an official's page shares with the console (Preact, the shared
        // rules, the survey's storage, sending, frame and worker registration): an official's
        // page then loads two scripts, not five, and compresses better. Never the service
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
