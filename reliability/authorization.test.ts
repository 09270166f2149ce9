// Who gets in: every route of the OpenAPI document × no token, a wrong token, a revoked token,
// each role with the whole organisation, each role within the unit the request names, and each
// role scoped to another unit. The matrix below is the contract; every answer must match it
// (`ok` means neither 401 nor 403, and no 5xx either). A route added to the API without a line
// here fails the first test.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinInstruments } from '../analysis/instruments/index.ts';
import type { Role } from '../db/database.ts';
import { engines } from '../db/testing.ts';
import {
  jsonBody,
  openRouteFixture,
  day,
  testActor,
  type RouteFixture,
} from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import {
  createApiToken,
  hashToken,
  issueCounterToken,
  tokenPrefixOf,
} from '../api/services/credentials.ts';
import { importUnits } from '../api/services/units.ts';
import { importCounters } from '../api/services/counters.ts';
import { openRound } from '../api/services/assessments.ts';
import { frameworkCsv } from '../api/services/assessments.testing.ts';
import { uploadEvidence } from '../api/services/evidence.ts';
import { pdfFile } from '../api/services/evidence.testing.ts';
import { importFrameworkTree } from '../api/services/frameworks.ts';
import {
  createOfficialSurvey,
  importOfficialGroups,
} from '../api/services/official-surveys/index.ts';
import { importPublication } from '../api/services/publications.ts';
import { addReport, getPlan, uploadPlanFile } from '../api/services/plans.ts';
import { proposedTask, seedPlan } from '../api/services/plans.testing.ts';
import { tasksXlsx } from '../api/services/plan-documents/index.ts';
import { XLSX_TYPE } from '../api/services/spreadsheet.ts';
import { builtinOfficialInstruments } from '../analysis/official-instruments/index.ts';
import { officialInstrumentByCode } from '../api/services/official-instruments.ts';
import { frameworkByCode } from '../api/services/par.ts';
import { findUnitByCode } from '../db/repositories/units.ts';

type Expected = 'ok' | 401 | 403;

interface Principal {
  readonly name: string;
  readonly role?: Role;
  /** The unit a scoped token reaches: `in` is the unit every request names, `other` another. */
  readonly scope?: 'in' | 'other';
}

const principals: Principal[] = [
  { name: 'no token' },
  { name: 'wrong token' },
  { name: 'revoked token' },
  { name: 'admin', role: 'admin' },
  { name: 'surveyor', role: 'surveyor' },
  { name: 'analyst', role: 'analyst' },
  { name: 'surveyor of BRVT.SKHDT', role: 'surveyor', scope: 'in' },
  { name: 'analyst of BRVT.SKHDT', role: 'analyst', scope: 'in' },
  { name: 'surveyor of BRVT.STP', role: 'surveyor', scope: 'other' },
  { name: 'analyst of BRVT.STP', role: 'analyst', scope: 'other' },
  { name: 'appraiser of BRVT.SKHDT', role: 'appraiser', scope: 'in' },
  { name: 'unit of BRVT.STP', role: 'unit', scope: 'other' },
  // The unit's own account: only it scores, submits and uploads evidence for BRVT.SKHDT.
  { name: 'unit of BRVT.SKHDT', role: 'unit', scope: 'in' },
];

/** What a route asks for: its request, and who may make it. */
interface RouteCase {
  /** `METHOD /path` as in the OpenAPI document. */
  readonly route: string;
  /** The request sent (every unit, counter and campaign named lies in BRVT.SKHDT). */
  readonly url: (t: Tokens) => string;
  readonly init?: (t: Tokens) => RequestInit;
  /** Roles let in; undefined for a public route (no token needed, any token ignored). */
  readonly roles?: readonly Role[];
  /** The request names a unit, counter or campaign, so a token of another unit gets 403. */
  readonly scoped?: boolean;
  /** Principals the role and scope let in whom the route's own rule refuses (403). */
  readonly refused?: readonly string[];
}

interface Tokens {
  survey: string;
  /** The prefix of an API token nobody else uses, for the revocation. */
  spare: string;
  /** A fresh survey response id per request. */
  id(): string;
  /** An evidence file on BRVT.SKHDT's assessment. */
  evidence: number;
  /** BRVT.SKHDT's plan: a task reported on, a report with a file, and a task to remove. */
  plan: number;
  task: number;
  report: number;
  file: number;
  spareTask: number;
  /** A task table adding one task, as GET …/tasks.xlsx writes it. */
  taskTable: Uint8Array<ArrayBuffer>;
  /** A link of the officials' survey CB-2025, of BRVT.SKHDT. */
  officialLink: number;
}

const all: Role[] = ['admin', 'surveyor', 'analyst', 'appraiser', 'unit'];
const managers: Role[] = ['admin', 'surveyor'];
const readers: Role[] = ['admin', 'analyst', 'appraiser', 'unit'];
const admin: Role[] = ['admin'];
const planWriters: Role[] = ['admin', 'analyst', 'unit'];
/** The officials' survey in beforeAll, with a group of BRVT.SKHDT. */
const O = '/api/v1/official-surveys/CB-2025';

const csv = (text: string, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'text/csv' },
  body: text,
});
const empty = (method: string): RequestInit => ({ method });
const C = '/api/v1/campaigns/SK-2025';
/** BRVT.SKHDT's self-assessment in the round opened in beforeAll (stage `top` only). */
const A = '/api/v1/assessments/auth-par/2025/BRVT.SKHDT';
const P = '/api/v1/par/par-2020-province/publications';
const appraisers: Role[] = ['admin', 'appraiser'];
// The matrix's appraiser is scoped to BRVT.SKHDT, the assessed unit itself, and nobody
// appraises their own unit (docs/assessment.md).
const ownUnit = ['appraiser of BRVT.SKHDT'];

/** The matrix. Order matters only in that a route's own objects are used up by its own calls. */
const matrix: RouteCase[] = [
  { route: 'GET /api/v1/s/{token}', url: (t) => `/api/v1/s/${t.survey}` },
  {
    route: 'POST /api/v1/s/{token}/responses',
    url: (t) => `/api/v1/s/${t.survey}/responses`,
    init: (t) => jsonBody({ id: t.id(), answers: { TC1: 4, PAQ: 0, HL: 5 } }),
  },
  // An official's single-use link: the link is the credential (an unknown one is 404).
  { route: 'GET /api/v1/o/{token}', url: () => `/api/v1/o/${'o'.repeat(22)}` },
  {
    route: 'POST /api/v1/o/{token}/responses',
    url: () => `/api/v1/o/${'o'.repeat(22)}/responses`,
    init: (t) => jsonBody({ id: t.id(), answers: { LD1: 'A' } }),
  },
  // Signing in and the first admin's setup are open to all (a bad body is 422, not 401).
  { route: 'POST /api/v1/session', url: () => '/api/v1/session', init: () => jsonBody({}) },
  { route: 'DELETE /api/v1/session', url: () => '/api/v1/session', init: () => empty('DELETE') },
  { route: 'POST /api/v1/setup', url: () => '/api/v1/setup', init: () => jsonBody({}) },
  // How to sign in, and the single sign-on (not configured here: 404, HTML for the browser).
  { route: 'GET /api/v1/session/methods', url: () => '/api/v1/session/methods' },
  { route: 'GET /api/v1/session/oidc', url: () => '/api/v1/session/oidc' },
  {
    route: 'GET /api/v1/session/oidc/callback',
    url: () => '/api/v1/session/oidc/callback?code=c&state=s',
  },
  { route: 'GET /api/v1/me', url: () => '/api/v1/me', roles: all },
  {
    route: 'PUT /api/v1/me/password',
    url: () => '/api/v1/me/password',
    init: () => jsonBody({ current: 'not a staff account', password: 'long enough 10' }, 'PUT'),
    roles: all,
  },
  { route: 'GET /api/v1/accounts', url: () => '/api/v1/accounts', roles: admin },
  {
    route: 'POST /api/v1/accounts',
    url: () => '/api/v1/accounts',
    init: () =>
      jsonBody({
        login: 'matrix',
        name: 'Matrix',
        role: 'analyst',
        unit: 'BRVT.SKHDT',
        password: 'long enough 10',
      }),
    roles: admin,
  },
  {
    route: 'POST /api/v1/accounts/{login}/disable',
    url: () => '/api/v1/accounts/matrix/disable',
    init: () => empty('POST'),
    roles: admin,
  },
  {
    route: 'POST /api/v1/accounts/{login}/enable',
    url: () => '/api/v1/accounts/matrix/enable',
    init: () => empty('POST'),
    roles: admin,
  },
  {
    route: 'PUT /api/v1/accounts/{login}/password',
    url: () => '/api/v1/accounts/matrix/password',
    init: () => jsonBody({ password: 'another long one' }, 'PUT'),
    roles: admin,
  },
  {
    route: 'POST /api/v1/tokens',
    url: () => '/api/v1/tokens',
    init: () => jsonBody({ role: 'analyst', unit: 'BRVT.SKHDT' }),
    roles: admin,
  },
  { route: 'GET /api/v1/tokens', url: () => '/api/v1/tokens', roles: admin },
  { route: 'GET /api/v1/audit', url: () => '/api/v1/audit?unit=BRVT.SKHDT', roles: admin },
  { route: 'GET /api/v1/audit/actions', url: () => '/api/v1/audit/actions', roles: admin },
  {
    route: 'DELETE /api/v1/tokens/{prefix}',
    url: (t) => `/api/v1/tokens/${t.spare}`,
    init: () => empty('DELETE'),
    roles: admin,
  },
  { route: 'GET /api/v1/instruments', url: () => '/api/v1/instruments', roles: all },
  {
    route: 'POST /api/v1/instruments',
    url: () => '/api/v1/instruments',
    init: () => jsonBody({ ...builtinInstruments[0], code: 'sipas-2017-test' }),
    roles: admin,
  },
  {
    route: 'GET /api/v1/instruments/{instrument}',
    url: () => '/api/v1/instruments/sipas-2017',
    roles: all,
  },
  { route: 'GET /api/v1/units', url: () => '/api/v1/units', roles: all },
  {
    route: 'POST /api/v1/units',
    url: () => '/api/v1/units',
    init: () => jsonBody({ code: 'BRVT.SKHDT.NEW', name: 'Mới', parent: 'BRVT.SKHDT' }),
    roles: admin,
    scoped: true,
  },
  {
    route: 'POST /api/v1/units/import',
    url: () => '/api/v1/units/import',
    init: () => csv('unit,name,parent\nBRVT.SKHDT.X2,X2,BRVT.SKHDT\n'),
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/units/import/template',
    url: () => '/api/v1/units/import/template?format=xlsx',
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/units/{unit}',
    url: () => '/api/v1/units/BRVT.SKHDT',
    roles: all,
    scoped: true,
  },
  {
    route: 'GET /api/v1/units/{unit}/on/{date}',
    url: () => '/api/v1/units/BRVT.SKHDT/on/2026-01-01',
    roles: all,
    scoped: true,
  },
  {
    route: 'GET /api/v1/units/{unit}/history',
    url: () => '/api/v1/units/BRVT.SKHDT/history',
    roles: all,
    scoped: true,
  },
  {
    route: 'PATCH /api/v1/units/{unit}',
    url: () => '/api/v1/units/BRVT.SKHDT.X1',
    init: () => jsonBody({ name: 'X1 mới' }, 'PATCH'),
    roles: admin,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/units/{unit}',
    url: () => '/api/v1/units/BRVT.SKHDT.X1',
    init: () => empty('DELETE'),
    roles: admin,
    scoped: true,
  },
  {
    route: 'POST /api/v1/units/{unit}/qr-sheet',
    url: () => '/api/v1/units/BRVT.SKHDT.X3/qr-sheet',
    init: () => empty('POST'),
    roles: managers,
    scoped: true,
  },
  { route: 'GET /api/qr-sheet.css', url: () => '/api/qr-sheet.css' },
  {
    route: 'GET /api/v1/counters',
    url: () => '/api/v1/counters?unit=BRVT.SKHDT',
    roles: all,
    scoped: true,
  },
  {
    route: 'POST /api/v1/counters',
    url: () => '/api/v1/counters',
    init: () => jsonBody({ code: 'BRVT.SKHDT.Q7', unit: 'BRVT.SKHDT', name: 'Q7' }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/counters/import',
    url: () => '/api/v1/counters/import',
    init: () => csv('counter,unit,name\nBRVT.SKHDT.Q6,BRVT.SKHDT,Q6\n'),
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/counters/import/template',
    url: () => '/api/v1/counters/import/template',
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/counters/{counter}',
    url: () => '/api/v1/counters/BRVT.SKHDT.Q1',
    roles: all,
    scoped: true,
  },
  {
    route: 'PATCH /api/v1/counters/{counter}',
    url: () => '/api/v1/counters/BRVT.SKHDT.Q9',
    init: () => jsonBody({ name: 'Q9 mới' }, 'PATCH'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/counters/{counter}',
    url: () => '/api/v1/counters/BRVT.SKHDT.Q9',
    init: () => empty('DELETE'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/counters/{counter}/token',
    url: () => '/api/v1/counters/BRVT.SKHDT.Q5/token',
    init: () => empty('POST'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/counters/{counter}/token',
    url: () => '/api/v1/counters/BRVT.SKHDT.Q5/token',
    init: () => empty('DELETE'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/counters/{counter}/qr.svg',
    url: (t) => `/api/v1/counters/BRVT.SKHDT.Q1/qr.svg?token=${t.survey}`,
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/counters/{counter}/qr.png',
    url: (t) => `/api/v1/counters/BRVT.SKHDT.Q1/qr.png?token=${t.survey}`,
    roles: managers,
    scoped: true,
  },
  { route: 'GET /api/v1/campaigns', url: () => '/api/v1/campaigns', roles: all },
  {
    route: 'POST /api/v1/campaigns',
    url: () => '/api/v1/campaigns',
    init: () =>
      jsonBody({
        code: 'SK-2030',
        instrument: 'sipas-2017',
        from: '2030-01-01',
        to: '2030-12-31',
        counters: ['BRVT.SKHDT.Q1'],
      }),
    roles: managers,
    scoped: true,
  },
  { route: 'GET /api/v1/campaigns/{campaign}', url: () => C, roles: all, scoped: true },
  {
    route: 'PATCH /api/v1/campaigns/{campaign}',
    url: () => C,
    init: () => jsonBody({ name: 'Đợt SKHDT' }, 'PATCH'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/campaigns/{campaign}',
    url: () => '/api/v1/campaigns/SK-DEL',
    init: () => empty('DELETE'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/counters',
    url: () => `${C}/counters`,
    init: () => jsonBody({ counters: ['BRVT.SKHDT.Q9'] }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/campaigns/{campaign}/counters/{counter}',
    url: () => `${C}/counters/BRVT.SKHDT.Q9`,
    init: () => empty('DELETE'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'PUT /api/v1/campaigns/{campaign}/transactions',
    url: () => `${C}/transactions`,
    init: () => jsonBody({ 'BRVT.SKHDT.Q1': 120 }, 'PUT'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/transactions/import',
    url: () => `${C}/transactions/import`,
    init: () => csv('counter,transactions\nBRVT.SKHDT.Q1,120\n'),
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/transactions/import/template',
    url: () => `${C}/transactions/import/template`,
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/progress',
    url: () => `${C}/progress`,
    roles: all,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/responses',
    url: () => `${C}/responses`,
    init: () =>
      jsonBody({ counter: 'BRVT.SKHDT.Q1', submittedAt: day(), answers: { TC1: 4, PAQ: 0 } }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/responses',
    url: () => `${C}/responses?responseId=F-1`,
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/responses/{id}/void',
    url: () => `${C}/responses/1/void`,
    init: () => jsonBody({ reason: 'Nhập nhầm' }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/responses/{id}/replace',
    url: () => `${C}/responses/1/replace`,
    init: () => jsonBody({ reason: 'Nhập nhầm', answers: { TC1: 4, PAQ: 0 } }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/campaigns/{campaign}/responses/import',
    url: () => `${C}/responses/import`,
    init: () => csv(`counter,submitted_at,mode,TC1\nBRVT.SKHDT.Q1,${day()},paper,4\n`),
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/responses/import/template',
    url: () => `${C}/responses/import/template?format=xlsx`,
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/responses/export',
    url: () => `${C}/responses/export?format=csv`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/quarantine',
    url: () => `${C}/quarantine`,
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/quarantine/summary',
    url: () => `${C}/quarantine/summary`,
    roles: admin,
    scoped: true,
  },
  {
    route: 'POST /api/v1/quarantine/release',
    url: () => '/api/v1/quarantine/release',
    init: () => jsonBody({ ids: ['1'] }),
    roles: admin,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/scores',
    url: () => `${C}/scores?by=all`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/campaigns/{campaign}/compare',
    url: () => `${C}/compare?with=SK-2024&by=all`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/par/{framework}',
    url: () => '/api/v1/par/par-2020-province',
    roles: readers,
  },
  {
    route: 'GET /api/v1/par/{framework}/scorecard',
    url: () => '/api/v1/par/par-2020-province/scorecard?period=2025&peers=BRVT.SKHDT',
    roles: readers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/par/{framework}/points',
    url: () => '/api/v1/par/par-2020-province/points?period=2025',
    init: () => csv('unit,component,points\nBRVT.SKHDT.X3,appraisal,50\n'),
    roles: admin,
    scoped: true,
  },
  {
    route: 'POST /api/v1/par/{framework}/derive',
    url: () => '/api/v1/par/par-2020-province/derive',
    init: () => jsonBody({ period: '2025', campaign: 'SK-2025' }),
    roles: admin,
    scoped: true,
  },
  // An officials' survey's results (docs/officials.md): every role reads its units within
  // reach; an admin derives the PAR points (422 here: the survey has no answers yet).
  {
    route: 'GET /api/v1/official-surveys/{code}/results',
    url: () => '/api/v1/official-surveys/LD-AUTH/results',
    roles: all,
    scoped: true,
  },
  {
    route: 'POST /api/v1/official-surveys/{code}/derive',
    url: () => '/api/v1/official-surveys/LD-AUTH/derive',
    init: () => empty('POST'),
    roles: admin,
    scoped: true,
  },
  { route: 'GET /api/v1/peer-groups', url: () => '/api/v1/peer-groups', roles: readers },
  {
    route: 'GET /api/v1/peer-groups/{name}/{period}',
    url: () => '/api/v1/peer-groups/auth/2025',
    roles: readers,
  },
  // A unit outside an analyst's subtree is a bad row (422), as any other bad row of the file.
  {
    route: 'POST /api/v1/peer-groups/import',
    url: () => '/api/v1/peer-groups/import',
    init: () => csv('group,period,unit\nauth,2025,BRVT.SKHDT\n'),
    roles: ['admin', 'analyst'],
  },
  // PAR frameworks as trees: every reader shows one, an admin imports (a bad file is 422).
  {
    route: 'GET /api/v1/frameworks/{code}',
    url: () => '/api/v1/frameworks/par-2020-province',
    roles: readers,
  },
  {
    route: 'POST /api/v1/frameworks/{code}/import',
    url: () => '/api/v1/frameworks/auth-tree/import',
    init: () => csv('node,name,max\n'),
    roles: admin,
  },
  // Reorganisations are an admin's: a form without its file is refused (422), nothing applied.
  {
    route: 'POST /api/v1/reorganisations/preview',
    url: () => '/api/v1/reorganisations/preview',
    init: () => ({ method: 'POST', body: new FormData() }),
    roles: admin,
  },
  {
    route: 'POST /api/v1/reorganisations',
    url: () => '/api/v1/reorganisations',
    init: () => ({ method: 'POST', body: new FormData() }),
    roles: admin,
  },
  { route: 'GET /api/v1/reorganisations', url: () => '/api/v1/reorganisations', roles: admin },
  // PAR self-assessments (docs/assessment.md): a round is an admin's; the unit's own account
  // scores and submits; the stage's appraiser (for `top` an admin) appraises; readers read.
  {
    route: 'POST /api/v1/assessments/rounds',
    url: () => '/api/v1/assessments/rounds',
    init: () =>
      jsonBody({ framework: 'auth-par', period: '2026', peers: 'BRVT.SKHDT', deadline: day(30) }),
    roles: admin,
    scoped: true,
  },
  {
    route: 'GET /api/v1/assessments',
    url: () => '/api/v1/assessments?framework=auth-par&period=2025',
    roles: readers,
  },
  {
    route: 'GET /api/v1/assessments/queue',
    url: () => '/api/v1/assessments/queue',
    roles: appraisers,
  },
  {
    route: 'GET /api/v1/assessments/{framework}/{period}/{unit}',
    url: () => A,
    roles: readers,
    scoped: true,
  },
  {
    route: 'PUT /api/v1/assessments/{framework}/{period}/{unit}/leaves/{node}',
    url: () => `${A}/leaves/1.1`,
    init: () => jsonBody({ selfScore: 5, explanation: 'Đã ban hành' }, 'PUT'),
    roles: ['unit'],
    scoped: true,
  },
  {
    route: 'POST /api/v1/assessments/{framework}/{period}/{unit}/leaves/{node}/evidence',
    url: () => `${A}/leaves/1.1/evidence?name=ke-hoach.pdf`,
    init: () => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: pdfFile(),
    }),
    roles: ['unit'],
    scoped: true,
  },
  {
    route: 'GET /api/v1/evidence/{id}',
    url: (t) => `/api/v1/evidence/${t.evidence}`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/evidence/{id}',
    url: (t) => `/api/v1/evidence/${t.evidence}`,
    init: () => empty('DELETE'),
    roles: ['unit'],
    scoped: true,
  },
  {
    route: 'POST /api/v1/assessments/{framework}/{period}/{unit}/submit',
    url: () => `${A}/submit`,
    init: () => empty('POST'),
    roles: ['unit'],
    scoped: true,
  },
  {
    route: 'POST /api/v1/assessments/{framework}/{period}/{unit}/reopen',
    url: () => `${A}/reopen`,
    init: () => empty('POST'),
    roles: ['unit', ...appraisers],
    scoped: true,
    refused: ownUnit,
  },
  {
    route: 'PUT /api/v1/assessments/{framework}/{period}/{unit}/leaves/{node}/appraisal',
    url: () => `${A}/leaves/1.1/appraisal`,
    init: () => jsonBody({ score: 4, reason: 'Thiếu tài liệu' }, 'PUT'),
    roles: appraisers,
    scoped: true,
    refused: ownUnit,
  },
  {
    route: 'POST /api/v1/assessments/{framework}/{period}/{unit}/return',
    url: () => `${A}/return`,
    init: () => jsonBody({ comment: 'Bổ sung tài liệu' }),
    roles: appraisers,
    scoped: true,
    refused: ownUnit,
  },
  {
    route: 'POST /api/v1/assessments/{framework}/{period}/{unit}/appraise',
    url: () => `${A}/appraise`,
    init: () => empty('POST'),
    roles: appraisers,
    scoped: true,
    refused: ownUnit,
  },
  // Publication (docs/par.md): an admin, or an appraiser of the top of the map, publishes.
  {
    route: 'POST /api/v1/par/{framework}/publications',
    url: () => P,
    init: () => jsonBody({ period: '2025', peers: 'BRVT.SKHDT', reason: 'Đính chính' }),
    roles: appraisers,
    scoped: true,
    // BRVT.SKHDT is not the top of the map: its appraisers do not publish.
    refused: ['appraiser of BRVT.SKHDT'],
  },
  {
    route: 'GET /api/v1/par/{framework}/publications',
    url: () => `${P}?period=2025&peers=BRVT.SKHDT`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/par/{framework}/publications/{version}',
    url: () => `${P}/1?period=2025&peers=BRVT.SKHDT`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/par/{framework}/publications/import',
    url: () => `${P}/import?period=2025&peers=BRVT.SKHDT&source=QĐ&reason=Nhập`,
    init: () => csv('unit,points,rank\nBRVT.SKHDT.X3,80,1\n'),
    roles: admin,
    scoped: true,
  },
  // Remediation plans (docs/plans.md): readers within reach read; an admin, an analyst within
  // reach and the unit's own account write; appraisers read only. BRVT.SKHDT has its plan
  // already, so a new one is 409 for those let in.
  {
    route: 'GET /api/v1/plan-drafts',
    url: () => '/api/v1/plan-drafts?framework=t-assess&period=2025&unit=BRVT.SKHDT',
    roles: readers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/plans',
    url: () => '/api/v1/plans',
    init: () => jsonBody({ framework: 't-assess', period: '2025', unit: 'BRVT.SKHDT' }),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'GET /api/v1/plans',
    url: () => '/api/v1/plans?unit=BRVT.SKHDT',
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/plans/roll-up',
    url: () => '/api/v1/plans/roll-up?framework=t-assess&period=2025&unit=BRVT.SKHDT',
    roles: readers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/plans/{id}',
    url: (t) => `/api/v1/plans/${t.plan}`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'PATCH /api/v1/plans/{id}',
    url: (t) => `/api/v1/plans/${t.plan}`,
    init: () => jsonBody({ place: 'Bà Rịa - Vũng Tàu' }, 'PATCH'),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'POST /api/v1/plans/{id}/tasks',
    url: (t) => `/api/v1/plans/${t.plan}/tasks`,
    init: () => jsonBody(proposedTask('Tập huấn', null)),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'PATCH /api/v1/plans/{id}/tasks/{taskId}',
    url: (t) => `/api/v1/plans/${t.plan}/tasks/${t.task}`,
    init: () => jsonBody({ status: 'in-progress' }, 'PATCH'),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'PUT /api/v1/plans/{id}/tasks',
    url: (t) => `/api/v1/plans/${t.plan}/tasks`,
    init: (t) => ({ method: 'PUT', headers: { 'Content-Type': XLSX_TYPE }, body: t.taskTable }),
    roles: planWriters,
    scoped: true,
  },
  ...(['plan.docx', 'tasks.xlsx', 'progress.docx'] as const).map((file): RouteCase => ({
    route: `GET /api/v1/plans/{id}/${file}`,
    url: (t) => `/api/v1/plans/${t.plan}/${file}`,
    roles: readers,
    scoped: true,
  })),
  {
    route: 'POST /api/v1/plans/{id}/tasks/{taskId}/reports',
    url: (t) => `/api/v1/plans/${t.plan}/tasks/${t.task}/reports`,
    init: () => jsonBody({ on: day(), text: 'Đã ban hành' }),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'POST /api/v1/plans/{id}/reports/{reportId}/files',
    url: (t) => `/api/v1/plans/${t.plan}/reports/${t.report}/files?name=bao-cao.pdf`,
    init: () => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: pdfFile(),
    }),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'GET /api/v1/plan-files/{fileId}',
    url: (t) => `/api/v1/plan-files/${t.file}`,
    roles: readers,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/plan-files/{fileId}',
    url: (t) => `/api/v1/plan-files/${t.file}`,
    init: () => empty('DELETE'),
    roles: planWriters,
    scoped: true,
  },
  {
    route: 'DELETE /api/v1/plans/{id}/tasks/{taskId}',
    url: (t) => `/api/v1/plans/${t.plan}/tasks/${t.spareTask}`,
    init: () => empty('DELETE'),
    roles: planWriters,
    scoped: true,
  },
  // The officials' survey (docs/officials.md): every account reads the instruments and the
  // surveys; an admin or a surveyor runs them. A surveyor of another unit may send a group
  // file (its units outside are named, 422), and reads a progress of none of its units; the
  // links of a unit, and a link to reissue, are out of its reach.
  {
    route: 'GET /api/v1/official-instruments',
    url: () => '/api/v1/official-instruments',
    roles: all,
  },
  {
    route: 'POST /api/v1/official-instruments',
    url: () => '/api/v1/official-instruments',
    init: () => jsonBody({ ...builtinOfficialInstruments[0], code: 'par-officials-test' }),
    roles: admin,
  },
  {
    route: 'GET /api/v1/official-instruments/{code}',
    url: () => '/api/v1/official-instruments/par-officials-2020',
    roles: all,
  },
  { route: 'GET /api/v1/official-surveys', url: () => '/api/v1/official-surveys', roles: all },
  {
    route: 'POST /api/v1/official-surveys',
    url: () => '/api/v1/official-surveys',
    init: () =>
      jsonBody({
        code: 'CB-NEW',
        name: 'Điều tra mới',
        instrument: 'par-officials-2020',
        framework: 'par-2020-province',
        period: '2026',
        opensOn: day(),
        closesOn: day(30),
      }),
    roles: managers,
  },
  { route: 'GET /api/v1/official-surveys/{code}', url: () => O, roles: all },
  {
    route: 'PATCH /api/v1/official-surveys/{code}',
    url: () => O,
    init: () => jsonBody({ closesOn: day(40) }, 'PATCH'),
    roles: managers,
  },
  {
    route: 'POST /api/v1/official-surveys/{code}/groups',
    url: () => `${O}/groups`,
    init: () => csv('unit,group,count\nBRVT.SKHDT,Công chức,2\n'),
    roles: managers,
  },
  {
    route: 'GET /api/v1/official-surveys/{code}/invitations',
    url: () => `${O}/invitations?unit=BRVT.SKHDT`,
    roles: managers,
    scoped: true,
  },
  {
    route: 'POST /api/v1/official-surveys/{code}/invitations/{id}/reissue',
    url: (t) => `${O}/invitations/${t.officialLink}/reissue`,
    init: () => jsonBody({ reason: 'Gửi nhầm' }),
    roles: managers,
    scoped: true,
  },
  {
    route: 'GET /api/v1/official-surveys/{code}/progress',
    url: () => `${O}/progress`,
    roles: managers,
  },
  { route: 'GET /healthz', url: () => '/healthz' },
  { route: 'GET /api/openapi.json', url: () => '/api/openapi.json' },
  { route: 'GET /api/docs', url: () => '/api/docs' },
  { route: 'GET /api/docs.css', url: () => '/api/docs.css' },
];

/** The cell of the matrix: what the principal must get on the route. */
function expected(route: RouteCase, principal: Principal): Expected {
  if (!route.roles) return 'ok';
  if (!principal.role) return 401;
  if (!route.roles.includes(principal.role)) return 403;
  if (principal.scope === 'other' && route.scoped) return 403;
  return route.refused?.includes(principal.name) ? 403 : 'ok';
}

const text = (csvText: string) => Readable.from([csvText]);

describe.each(engines)('the authorization matrix on %s', (engine) => {
  let fixture: RouteFixture;
  const bearer = new Map<string, string | undefined>();
  let tokens: Tokens;

  beforeAll(async () => {
    fixture = await openRouteFixture(engine);
    const { db } = fixture.database;
    await importUnits(
      db,
      testActor,
      text('unit,name,parent\nBRVT.SKHDT.X1,X1,BRVT.SKHDT\nBRVT.SKHDT.X3,X3,BRVT.SKHDT\n'),
    );
    await importCounters(
      db,
      testActor,
      text(
        'counter,unit,name\nBRVT.SKHDT.Q5,BRVT.SKHDT,Q5\nBRVT.SKHDT.Q8,BRVT.SKHDT,Q8\n' +
          'BRVT.SKHDT.Q9,BRVT.SKHDT,Q9\nBRVT.SKHDT.X3.Q1,BRVT.SKHDT.X3,X3 Q1\n',
      ),
    );
    const campaign = (code: string, from: string, to: string, counter: string) =>
      createCampaign(db, testActor, {
        code,
        instrument: 'sipas-2017',
        from,
        to,
        counters: [counter],
      });
    await campaign('SK-2025', day(-10), day(10), 'BRVT.SKHDT.Q1');
    await campaign('SK-2024', '2024-01-01', '2024-12-31', 'BRVT.SKHDT.Q1');
    await campaign('SK-DEL', day(-10), day(10), 'BRVT.SKHDT.Q8');
    const survey = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
    // A round of the province's departments (BRVT.SKHDT among them), appraised at the top only;
    // the operator keys in the unit's first evidence file, and imports BRVT.SKHDT's units' results.
    await importFrameworkTree(db, testActor, { code: 'auth-par' }, frameworkCsv());
    await openRound(db, testActor, {
      framework: 'auth-par',
      period: '2025',
      peers: 'BRVT',
      deadline: day(30),
      stages: ['top'],
    });
    const leaf = { framework: 'auth-par', period: '2025', unit: 'BRVT.SKHDT', node: '1.1' };
    const evidence = await uploadEvidence(db, testActor, leaf, {
      name: 'ke-hoach.pdf',
      read: () => Promise.resolve(pdfFile()),
    });
    await importPublication(
      db,
      testActor,
      { framework: 'par-2020-province', period: '2025', peers: 'BRVT.SKHDT', origin: 'QĐ 1' },
      text('unit,points,rank\nBRVT.SKHDT.X3,80,1\n'),
    );
    // BRVT.SKHDT's remediation plan (a hand-made draft of the t-assess framework), a report
    // on its first task with a file.
    await importFrameworkTree(db, testActor, { code: 't-assess' }, frameworkCsv());
    const plan = await seedPlan(db, testActor, 'BRVT.SKHDT', [
      proposedTask('Rà soát', null),
      proposedTask('Bỏ đi', null),
    ]);
    const [task, spareTask] = (await getPlan(db, testActor, plan, day())).tasks.map((t) => t.id);
    const reported = await addReport(
      db,
      testActor,
      plan,
      task ?? 0,
      { on: day(), text: 'Đã rà soát' },
      day(),
    );
    const report = reported.tasks[0]?.reports[0]?.id ?? 0;
    const withFile = await uploadPlanFile(
      db,
      testActor,
      { plan, report },
      { name: 'bao-cao.pdf', read: () => Promise.resolve(pdfFile()) },
      day(),
    );
    // The officials' survey CB-2025 with three links of BRVT.SKHDT.
    await createOfficialSurvey(db, testActor, {
      code: 'CB-2025',
      name: 'Điều tra cán bộ 2025',
      instrument: 'par-officials-2020',
      framework: 'par-2020-province',
      period: '2025',
      opensOn: day(-1),
      closesOn: day(30),
    });
    await importOfficialGroups(
      db,
      testActor,
      'CB-2025',
      text('unit,group,count\nBRVT.SKHDT,Lãnh đạo,3\n'),
    );
    const officialLink = await db
      .selectFrom('official_invitation')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // An officials' survey with a group of BRVT.SKHDT, as the staff side stores one.
    const officials = await officialInstrumentByCode(db, 'par-officials-2020');
    const { id: surveyId } = await db
      .insertInto('official_survey')
      .values({
        code: 'LD-AUTH',
        name: 'Điều tra cán bộ',
        instrument_id: officials.id,
        framework_id: (await frameworkByCode(db, 'par-2020-province')).id,
        period: '2025',
        opens_on: day(-10),
        closes_on: day(10),
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const skhdt = await findUnitByCode(db, 'BRVT.SKHDT');
    await db
      .insertInto('official_group')
      .values({ survey_id: surveyId, unit_id: skhdt?.id ?? 0, name: 'Lãnh đạo', invited: 10 })
      .execute();
    let n = 0;
    tokens = {
      survey,
      spare: tokenPrefixOf(await createApiToken(db, testActor, { role: 'analyst' })),
      id: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      evidence: evidence.id,
      plan,
      task: task ?? 0,
      report,
      file: withFile.tasks[0]?.reports[0]?.files[0]?.id ?? 0,
      spareTask: spareTask ?? 0,
      taskTable: new Uint8Array(await tasksXlsx({ tasks: [proposedTask('Từ bảng', null)] })),
      officialLink: officialLink.id,
    };

    const revoked = await createApiToken(db, testActor, { role: 'admin' });
    await sql`update api_token set revoked_at = now() where token_hash = ${hashToken(revoked)}`.execute(
      db,
    );
    bearer.set('no token', undefined);
    bearer.set('wrong token', `sk_${'A'.repeat(43)}`);
    bearer.set('revoked token', revoked);
    bearer.set('admin', fixture.tokens.admin);
    for (const p of principals.filter((p) => p.role && p.role !== 'admin')) {
      const unit = p.scope === 'in' ? 'BRVT.SKHDT' : p.scope === 'other' ? 'BRVT.STP' : undefined;
      const role = p.role ?? 'analyst';
      bearer.set(p.name, await createApiToken(db, testActor, { role, ...(unit ? { unit } : {}) }));
    }
  });
  afterAll(() => fixture.database.close());

  it('has a line for every route of the OpenAPI document, and none more', async () => {
    const document: unknown = await (await fixture.request('/api/openapi.json')).json();
    const paths =
      typeof document === 'object' && document !== null && 'paths' in document
        ? Object.entries(document.paths as Record<string, Record<string, unknown>>)
        : [];
    const documented = paths.flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(40);
    expect([...matrix.map((r) => r.route)].sort()).toEqual([...documented].sort());
  });

  it.each(matrix.map((route) => [route.route, route] as const))(
    '%s answers every principal as the matrix says',
    async (_name, route) => {
      const answers: Record<string, Expected | number> = {};
      const wanted: Record<string, Expected> = {};
      // Those who must be refused go first, so that a route's own objects are still there.
      const ordered = [...principals].sort(
        (a, b) => Number(expected(route, a) === 'ok') - Number(expected(route, b) === 'ok'),
      );
      for (const principal of ordered) {
        const response = await fixture.request(route.url(tokens), {
          ...(route.init?.(tokens) ?? {}),
          token: bearer.get(principal.name),
        });
        await response.arrayBuffer();
        const status = response.status;
        wanted[principal.name] = expected(route, principal);
        answers[principal.name] =
          status === 401 || status === 403 ? status : status < 500 ? 'ok' : status;
        if (status === 401 || status === 403) {
          expect(response.headers.get('content-type')).toBe('application/problem+json');
        }
      }
      expect(answers).toEqual(wanted);
    },
  );
});
