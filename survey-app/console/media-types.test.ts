// The console names the XLSX media type itself (it may not import the server's code), so this
// pins it to the server's: a change on either side fails the type check, and this test.
import { describe, expect, it } from 'vitest';
import { XLSX_TYPE as SERVER_XLSX_TYPE } from '../../api/services/spreadsheet.ts';
import { XLSX_TYPE } from './api.ts';

const pinned: typeof SERVER_XLSX_TYPE = XLSX_TYPE;

describe("the console's XLSX media type", () => {
  it("is the server's", () => {
    expect(pinned).toBe(SERVER_XLSX_TYPE);
  });
});
