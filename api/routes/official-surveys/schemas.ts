import { z } from '@hono/zod-openapi';
import {
  officialProgressSchema,
  officialSurveySchema,
} from '../../../analysis/official-document.ts';
import { officialInstrumentSchema } from '../../../analysis/official-instrument.ts';
import { CODE_MAX } from '../../../shared/rules.ts';
import { SHEET_FORMATS } from '../../services/spreadsheet.ts';
import {
  groupsImportedSchema,
  officialSurveyInputSchema,
  officialSurveyPatchSchema,
  reissuedSchema,
  reissueInputSchema,
} from '../../services/official-surveys/index.ts';
import { delimiterField } from '../openapi.ts';

// Made with plain zod in analysis/ and the services: named here through zod's own metadata.
export const surveyDocument = officialSurveySchema.meta({ id: 'OfficialSurvey' });
export const progressDocument = officialProgressSchema.meta({ id: 'OfficialProgress' });
export const instrumentDocument = officialInstrumentSchema.meta({ id: 'OfficialInstrument' });
export const surveyInput = officialSurveyInputSchema.meta({ id: 'OfficialSurveyInput' });
export const surveyPatch = officialSurveyPatchSchema.meta({ id: 'OfficialSurveyPatch' });
export const groupsImported = groupsImportedSchema.meta({ id: 'OfficialGroupsImported' });
export const reissueInput = reissueInputSchema.meta({ id: 'OfficialReissueInput' });
export const reissued = reissuedSchema.meta({ id: 'OfficialReissued' });

const localized = z.object({ vi: z.string(), en: z.string() });
export const instrumentSummary = z.object({
  code: z.string(),
  name: localized,
  note: localized.optional(),
});

const code = (description: string, example: string) =>
  z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'code', in: 'path' }, description, example });

export const surveyParams = z.object({ code: code("The officials' survey", 'CBCC-2025') });
export const instrumentParams = z.object({
  code: code("The officials' instrument", 'par-officials-2020'),
});
export const invitationParams = surveyParams.extend({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      example: 1,
      description: "The link's number (the `number` column of the links file)",
    }),
});

export const groupsQuery = z.strictObject({ delimiter: delimiterField });

export const invitationsQuery = z.strictObject({
  format: z
    .enum([...SHEET_FORMATS, 'slips'])
    .default('csv')
    .openapi({ description: '`csv` or `xlsx` for mail-merge; `slips` for a printable page' }),
  unit: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .optional()
    .openapi({ description: 'Only the links of this unit' }),
});
