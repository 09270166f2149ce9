// The headers of a download: a report as a file for a spreadsheet (api/services/spreadsheet.ts
// writes it).
export const download = (name: string, type: string) => ({
  'Content-Type': type,
  'Content-Disposition': `attachment; filename="${name}"`,
});
