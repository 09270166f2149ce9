// The console names the XLSX and DOCX media types itself (it may not import the server's code),
// so this pins them to the server's: a change on either side fails the type check, and this test.
import { describe, expect, it } from 'vitest';
import { DOCX_TYPE as SERVER_DOCX_TYPE } from '../../api/services/plan-documents/administrative.ts';
import { XLSX_TYPE as SERVER_XLSX_TYPE } from '../../api/services/spreadsheet.ts';
import { DOCX_TYPE, XLSX_TYPE } from './api.ts';

const pinned: typeof SERVER_XLSX_TYPE = XLSX_TYPE;
const pinnedDocx: typeof SERVER_DOCX_TYPE = DOCX_TYPE;

describe("the console's media types", () => {
  it("are the server's", () => {
    expect(pinned).toBe(SERVER_XLSX_TYPE);
    expect(pinnedDocx).toBe(SERVER_DOCX_TYPE);
  });
});
