import { describe, expect, it } from 'vitest';
import { formatDay } from './format.ts';

describe('formatDay', () => {
  it('writes a day as people do, on the same day whatever the clock says', () => {
    expect(formatDay('vi', '2026-03-31')).toBe('31/03/2026');
    expect(formatDay('en', '2026-01-01')).toBe('01/01/2026');
  });
});
