// The table the benchmarks print and write, not their speed: timed assertions do not belong
// in unit tests (issue 7).
import { describe, expect, it } from 'vitest';
import {
  BY_HAND,
  keepingByHand,
  measured,
  median,
  quantile,
  renderReport,
  renderSummary,
  renderTable,
  SUMMARY_END,
  SUMMARY_START,
  withSummary,
  type Section,
} from './harness.ts';

const ingestion: Section = {
  benchmark: { name: 'ingestion', description: 'Posts responses.' },
  seconds: 12,
  rows: [
    measured({
      name: 'responses/s',
      value: 2_100,
      unit: '/s',
      baseline: 3_000,
      goals: [
        { direction: 'at least', target: 3_000 },
        { direction: 'at least', target: 0.7, onRatio: true },
      ],
      note: 'the machine was busy',
    }),
    measured({
      name: 'p99 | at 500/s',
      value: 41.25,
      unit: 'ms',
      goals: [{ direction: 'under', target: 50 }],
    }),
    measured({ name: 'CPU per response', value: 0.8123, unit: 'ms' }),
  ],
};

describe('the benchmark table', () => {
  it('checks each goal on the value or on the ratio to the baseline', () => {
    const [rate, p99, cpu] = ingestion.rows;
    // 2,100 ÷ 3,000 = 0.7 meets the ratio, but 2,100 is under 3,000/s.
    expect(rate).toMatchObject({ ratio: 0.7, met: false, goal: '≥ 3,000 /s and ≥ 0.7 × baseline' });
    expect(p99).toMatchObject({ ratio: null, met: true, goal: '< 50 ms' });
    expect(cpu).toMatchObject({ met: null, goal: '' });
    expect(
      measured({
        name: 'x',
        value: 2,
        unit: 's',
        baseline: 4,
        goals: [{ direction: 'at most', target: 0.5, onRatio: true }],
      }).met,
    ).toBe(true);
  });

  it('renders one markdown row per figure, the benchmark named once, pipes escaped', () => {
    const failed: Section = {
      benchmark: { name: 'page', description: 'Loads the page.' },
      seconds: 1,
      rows: [],
      error: 'no Chromium',
    };
    expect(renderTable([ingestion, failed]).split('\n')).toEqual([
      '| Benchmark | Measure | Value | Baseline | Ratio | Goal | Met |',
      '| --- | --- | ---: | ---: | ---: | --- | --- |',
      '| ingestion | responses/s | 2,100 /s | 3,000 /s | 0.7× | ≥ 3,000 /s and ≥ 0.7 × baseline | **not met** |',
      '|  | p99 \\| at 500/s | 41.3 ms |  |  | < 50 ms | met |',
      '|  | CPU per response | 0.812 ms |  |  |  |  |',
      '| page | failed: no Chromium | | | | | **not met** |',
    ]);
  });

  it('writes the machine, the count of goals met, what was not met and the notes', () => {
    const report = renderReport(
      [ingestion],
      {
        cores: 2,
        cpu: 'Test CPU',
        memoryBytes: 24 * 1024 ** 3,
        node: 'v20.0.0',
        postgres: 'PostgreSQL 15.20',
        load: 1.5,
      },
      { date: new Date('2026-11-22T06:00:00Z'), repetitions: 3, seconds: 600 },
    );
    expect(report).toContain('Machine: 2 cores (Test CPU), 24.0 GiB memory, load average 1.50');
    expect(report).toContain('on 2026-11-22T06:00:00.000Z in 600 s.');
    expect(report).toContain('Goals: 1 of 2 met.');
    expect(report).toContain(
      '- ingestion, responses/s: 2,100 /s, goal ≥ 3,000 /s and ≥ 0.7 × baseline.',
    );
    expect(report).toContain('- ingestion, responses/s: the machine was busy');
    expect(report).toContain('### ingestion (12 s)\n\nPosts responses.');
  });

  it('keeps the figures measured by hand of the report it replaces', () => {
    const byHand = `${BY_HAND}\n\n- A commit: 3 ms.\n`;
    expect(keepingByHand('# Benchmarks\n', `# Benchmarks\n\nOld table.\n\n${byHand}`)).toBe(
      `# Benchmarks\n\n${byHand}`,
    );
    expect(keepingByHand('# Benchmarks\n', '# Benchmarks\n\nOld table.\n')).toBe('# Benchmarks\n');
  });

  it('summarizes the rows with a goal for README.md, between its markers', () => {
    const informational: Section = {
      benchmark: { name: 'import', description: 'Imports.' },
      seconds: 5,
      rows: [measured({ name: 'peak memory', value: 300, unit: 'MiB' })],
    };
    const failed: Section = {
      benchmark: { name: 'page', description: 'Loads the page.' },
      seconds: 1,
      rows: [],
      error: 'no Chromium',
    };
    const summary = renderSummary([ingestion, informational, failed], {
      date: new Date('2026-12-05T01:00:00Z'),
      seconds: 912.4,
      load: 2.5,
    });
    expect(summary.split('\n')).toEqual([
      'The last whole run (2026-12-05, 912 s, load average 2.50 at the start): 1 of 2 goals ' +
        'met, 1 benchmark(s) failed; every row, its notes and how each is measured are in ' +
        '[BENCHMARKS.md](BENCHMARKS.md).',
      '',
      '| Benchmark | Measure | Value | Baseline | Ratio | Goal | Met |',
      '| --- | --- | ---: | ---: | ---: | --- | --- |',
      '| ingestion | responses/s | 2,100 /s | 3,000 /s | 0.7× | ≥ 3,000 /s and ≥ 0.7 × baseline | **not met** |',
      '|  | p99 \\| at 500/s | 41.3 ms |  |  | < 50 ms | met |',
      '| page | failed: no Chromium | | | | | **not met** |',
    ]);

    const readme = `# SIPAS\n\n## Benchmarks\n\n${SUMMARY_START}\nOld.\n${SUMMARY_END}\n\nMore.\n`;
    expect(withSummary(readme, 'New.')).toBe(
      `# SIPAS\n\n## Benchmarks\n\n${SUMMARY_START}\nNew.\n${SUMMARY_END}\n\nMore.\n`,
    );
    expect(withSummary(withSummary(readme, 'New.') ?? '', 'New.')).toBe(
      withSummary(readme, 'New.'),
    );
    expect(withSummary('# SIPAS\n', 'New.')).toBeNull();
    expect(withSummary(`${SUMMARY_END}\n${SUMMARY_START}\n`, 'New.')).toBeNull();
  });

  it('takes medians and nearest-rank quantiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(hundred, 0.99)).toBe(99);
    expect(quantile(hundred, 0.5)).toBe(50);
    expect(() => median([])).toThrow();
  });
});
