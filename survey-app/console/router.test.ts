import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from './router.ts';

describe('the assessment pages in the console path', () => {
  it('reads a unit code with dots and spaces back as it was written', () => {
    const route: Route = {
      page: 'assessment',
      framework: 'xa-2026',
      period: '2026',
      unit: 'P.D X',
    };
    const href = hrefOf(route);
    expect(href).toBe('/console/assessments/xa-2026/2026/P.D%20X');
    expect(parseRoute(href)).toEqual(route);
  });

  it('keeps the overview query in the URL, and the queue apart from a framework', () => {
    expect(hrefOf({ page: 'assessments', framework: 'xa-2026', period: '2026' })).toBe(
      '/console/assessments?framework=xa-2026&period=2026',
    );
    expect(parseRoute('/console/assessments', '?framework=xa-2026&period=2026')).toEqual({
      page: 'assessments',
      framework: 'xa-2026',
      period: '2026',
    });
    expect(hrefOf({ page: 'assessments', framework: '', period: '' })).toBe('/console/assessments');
    expect(parseRoute('/console/assessments/queue')).toEqual({ page: 'assessment-queue' });
    expect(parseRoute('/console/assessments/xa-2026/2026')).toEqual({ page: 'missing' });
    expect(parseRoute('/console/assessments/xa-2026/2026/X/more')).toEqual({ page: 'missing' });
  });
});

describe('the remediation plan pages in the console path', () => {
  it('reads each page of a unit back as it was written', () => {
    const target = { framework: 'xa-2026', period: '2026', unit: 'P.D X' };
    const routes: [Route, string][] = [
      [{ page: 'plan', ...target }, '/console/plans/xa-2026/2026/P.D%20X'],
      [{ page: 'plan-roll-up', ...target }, '/console/plans/xa-2026/2026/P.D%20X/roll-up'],
      [
        { page: 'plan-sheet', ...target, peers: 'P.D', campaign: '', top: '3' },
        '/console/plans/xa-2026/2026/P.D%20X/sheet?peers=P.D&top=3',
      ],
      [
        { page: 'plans', framework: 'xa-2026', period: '', unit: 'P.D' },
        '/console/plans?framework=xa-2026&unit=P.D',
      ],
    ];
    for (const [route, href] of routes) {
      expect(hrefOf(route)).toBe(href);
      const [path, search] = href.split('?');
      expect(parseRoute(path ?? '', search === undefined ? '' : `?${search}`)).toEqual(route);
    }
    expect(parseRoute('/console/plans/xa-2026/2026')).toEqual({ page: 'missing' });
    expect(parseRoute('/console/plans/xa-2026/2026/X/other')).toEqual({ page: 'missing' });
    expect(parseRoute('/console/plans/xa-2026/2026/X/sheet/more')).toEqual({ page: 'missing' });
  });
});

describe("the officials' survey pages in the console path", () => {
  it('reads the list and a survey back as they were written', () => {
    const routes: [Route, string][] = [
      [{ page: 'officials' }, '/console/officials'],
      [{ page: 'official', code: 'LĐ 2026/1' }, '/console/officials/L%C4%90%202026%2F1'],
    ];
    for (const [route, href] of routes) {
      expect(hrefOf(route)).toBe(href);
      expect(parseRoute(href)).toEqual(route);
    }
    expect(parseRoute('/console/officials/X/more')).toEqual({ page: 'missing' });
  });
});
