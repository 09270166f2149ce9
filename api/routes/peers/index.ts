// Peer groups (docs/organisation.md): named sets of units for a period, which scorecards and
// league tables rank; imported from peers.csv (interchange §2).
import { z } from '@hono/zod-openapi';
import { READERS } from '../../services/access.ts';
import { importPeers, listPeerGroups, PEER_EDITORS, showPeerGroup } from '../../services/peers.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { uploadedTable } from '../files.ts';
import { delimiterQuery, fileProblems, json, problems, tableUpload } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import {
  peerGroupDocument,
  peerGroupParams,
  peerGroupSummary,
  peerGroupsQuery,
  peersImported,
} from './schemas.ts';

const tags = ['organisation'];

const list = guarded(READERS, {
  method: 'get',
  path: '/api/v1/peer-groups',
  tags,
  summary: 'The peer groups, by period then name',
  request: { query: peerGroupsQuery },
  responses: {
    200: { description: 'Peer groups', content: json(z.array(peerGroupSummary)) },
    ...problems({ 422: 'Bad query' }),
  },
});

const show = guarded(READERS, {
  method: 'get',
  path: '/api/v1/peer-groups/{name}/{period}',
  tags,
  summary: 'A peer group of a period and its units',
  description:
    "The units by code, valid on the period's last day (`day`). A scoped account sees the " +
    'units within its subtree; `outside` counts the others.',
  request: { params: peerGroupParams },
  responses: {
    200: { description: 'The group', content: json(peerGroupDocument) },
    ...problems({ 404: 'Unknown peer group' }),
  },
});

const importCsv = guarded(PEER_EDITORS, {
  method: 'post',
  path: '/api/v1/peer-groups/import',
  tags,
  summary: 'Import peers.csv',
  description:
    'Columns `group`, `period`, `unit` (interchange §2); all or nothing. Each unit is valid on ' +
    "the period's last day (`2025`: 2025-12-31); a group of a period given in the file " +
    'replaces the units of the stored one (audited). An analyst imports units of its subtree ' +
    'only. CSV or the first sheet of an XLSX workbook.',
  request: { query: delimiterQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported', content: json(peersImported) },
    ...fileProblems({}),
  },
});

export function peerRoutes() {
  return apiApp<AuthEnv>()
    .openapi(list, async (c) => c.json(await listPeerGroups(c.var.db, c.req.valid('query')), 200))
    .openapi(importCsv, async (c) => {
      const { input, delimiter } = await uploadedTable(c, c.req.valid('query').delimiter);
      return c.json(await importPeers(c.var.db, c.var.principal, input, delimiter), 200);
    })
    .openapi(show, async (c) =>
      c.json(await showPeerGroup(c.var.db, c.var.principal, c.req.valid('param')), 200),
    );
}
