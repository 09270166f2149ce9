import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { staleAssets } from './sw-assets.ts';

describe("the service worker's cache on a new build", () => {
  const origin = 'https://sipas.example.vn';
  const cached = [
    `${origin}/s/q3Yh0mWZ8o2kq1Yc7cX6Xg`,
    `${origin}/assets/survey-OLD11111.js`,
    `${origin}/assets/survey-OLD11111.css`,
    `${origin}/assets/survey-NEW22222.js`,
    `${origin}/assets/jsxRuntime-SAME3333.js?v=1`,
  ];

  it('drops the assets of earlier builds, keeps this build’s and the pages', () => {
    const current = [
      '/assets/survey-NEW22222.js',
      '/assets/survey-NEW22222.css',
      '/assets/jsxRuntime-SAME3333.js',
    ];
    expect(staleAssets(cached, current)).toEqual([
      `${origin}/assets/survey-OLD11111.js`,
      `${origin}/assets/survey-OLD11111.css`,
    ]);
  });

  it('drops nothing without the build’s list', () => {
    expect(staleAssets(cached, undefined)).toEqual([]);
  });

  it('is told by the built sw.js which assets the build made (npm run build first)', () => {
    const dist = new URL('../dist/', import.meta.url);
    const [first = ''] = readFileSync(new URL('sw.js', dist), 'utf8').split('\n');
    const listed = /^self\.SIPAS_BUILD_ASSETS=(\[.*\]);$/.exec(first)?.[1];
    const made = readdirSync(new URL('assets/', dist)).map((file) => `/assets/${file}`);
    expect(JSON.parse(listed ?? 'null')).toEqual(made.sort());
  });
});
