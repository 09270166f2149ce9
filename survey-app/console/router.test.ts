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
