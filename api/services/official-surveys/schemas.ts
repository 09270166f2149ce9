// The officials' survey's staff side, its requests and replies (docs/officials.md, "Running a
// survey"): zod schemas the routes name in the OpenAPI document and the services parse with.
import * as z from 'zod';
import type { Role } from '../../../db/database.ts';
import { OFFICIAL_LIMITS } from '../../../shared/official.ts';
import { NAME_MAX } from '../../../shared/rules.ts';
import { says, text } from '../../errors.ts';
import { codeSchema, daySchema } from '../codes.ts';
import { periodSchema } from '../par.ts';

/** Who runs an officials' survey. */
export const OFFICIAL_MANAGERS = ['admin', 'surveyor'] as const satisfies Role[];

// ---------------------------------------------------------------------------------------------
// Requests

const name = z.string().trim().min(1).max(NAME_MAX);

export const officialSurveyInputSchema = z
  .strictObject({
    code: codeSchema,
    name,
    instrument: z.string().min(1).max(64),
    framework: codeSchema,
    period: periodSchema,
    opensOn: daySchema,
    /** The last day answers are taken, Vietnam's time. */
    closesOn: daySchema,
    minGroup: z.number().int().min(1).max(OFFICIAL_LIMITS.invitedPerGroup).optional(),
  })
  .refine((survey) => survey.closesOn >= survey.opensOn, {
    path: ['closesOn'],
    ...says(text('trước ngày bắt đầu (opensOn)', 'before the opening day (opensOn)')),
  });

export const officialSurveyPatchSchema = z.strictObject({
  name: name.optional(),
  closesOn: daySchema.optional(),
});

export const reissueInputSchema = z.strictObject({
  reason: z.string().trim().min(1).max(1000),
});

export type OfficialSurveyInput = z.input<typeof officialSurveyInputSchema>;
export type OfficialSurveyPatch = z.input<typeof officialSurveyPatchSchema>;
export type ReissueInput = z.input<typeof reissueInputSchema>;

/** What a group file did: the groups it names, and the links issued for them now. */
export const groupsImportedSchema = z.object({
  groups: z.number().int().nonnegative(),
  issued: z.number().int().nonnegative(),
});

export const reissuedSchema = z.object({
  /** The new link's number (its invitation id). */
  number: z.number().int().positive(),
  link: z.string(),
});

export type OfficialGroupsImported = z.output<typeof groupsImportedSchema>;
export type OfficialReissued = z.output<typeof reissuedSchema>;

export const INVITATION_STATUSES = ['active', 'revoked'] as const;

/** One link as the mail-merge file lists it; `active` whether or not it was answered. */
export interface InvitationLine {
  unit: string;
  unitName: string;
  group: string;
  number: number;
  link: string;
  status: (typeof INVITATION_STATUSES)[number];
  issued: Date;
}

/** The columns of the links file, in its order. */
export const INVITATION_COLUMNS = [
  'unit',
  'unit_name',
  'group',
  'number',
  'link',
  'status',
  'issued',
] as const;

export const GROUP_COLUMNS = ['unit', 'group', 'count'] as const;

/** The address an invitation's link opens: the officials' page. */
export const invitationLink = (publicUrl: string, token: string) => `${publicUrl}/o/${token}`;
