// Evidence files of a PAR self-assessment (par-cycle.md §2, docs/evidence.md): the unit
// uploads them to its `assessment` leaves while its assessment is in draft or returned, every
// reader of the assessment downloads them, and a removal keeps the row (and its bytes) for
// history. A file's type is read from its content (evidence-type.ts); it is stored in the
// database with its SHA-256, so that a backup holds it.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { innerCodes } from '../../analysis/par-tree.ts';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as evidence from '../../db/repositories/evidence.ts';
import * as frameworks from '../../db/repositories/frameworks.ts';
import * as units from '../../db/repositories/units.ts';
import { unitEdits, type AssessmentState } from '../../shared/assessment.ts';
import { conflict, DomainError, invalid, notFound, text, unknown, type Text } from '../errors.ts';
import { operator, type Principal } from './access.ts';
import { assertReadsAssessmentOf, scoresFor } from './assessment-access.ts';
import { evidenceType, safeFileName } from './evidence-type.ts';
import { frameworkTree } from './frameworks.ts';
import { scorecardPeers } from './peers.ts';

export const evidenceFileSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int().meta({ description: 'In bytes' }),
  sha256: z.string().meta({ description: 'Of the content, in hexadecimal' }),
  uploadedAt: z.string().meta({ description: 'ISO 8601' }),
  uploadedBy: z.string().meta({ description: 'The actor: `account:ID`, or `cli`' }),
});

export type EvidenceFile = z.output<typeof evidenceFileSchema>;

export interface EvidenceLeaf {
  framework: string;
  period: string;
  unit: string;
  node: string;
}

const forbidden = (message: Text) => new DomainError('forbidden', message);

const notScorer = (unit: string) =>
  forbidden(
    text(
      `Chỉ tài khoản của chính đơn vị ${unit} thay đổi minh chứng của bản tự đánh giá.`,
      `Only an account of unit ${unit} itself changes the evidence of its self-assessment.`,
    ),
  );

const stateName: Record<AssessmentState, Text> = {
  draft: text('đang soạn', 'draft'),
  submitted: text('đã nộp', 'submitted'),
  'in-appraisal': text('đang thẩm định', 'in appraisal'),
  returned: text('bị trả lại', 'returned'),
  resubmitted: text('đã nộp lại', 'resubmitted'),
  appraised: text('đã thẩm định', 'appraised'),
  published: text('đã công bố', 'published'),
};

function assertUnitEdits(state: AssessmentState): void {
  if (unitEdits(state)) return;
  throw conflict(
    text(
      `Bản tự đánh giá ${stateName[state].vi}: minh chứng chỉ thay đổi khi bản đang soạn hoặc bị trả lại.`,
      `The self-assessment is ${stateName[state].en}: evidence changes only in draft or when returned.`,
    ),
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function fileOf(row: {
  id: number;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
  uploaded_by: string;
}): EvidenceFile {
  return {
    id: row.id,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at.toISOString(),
    uploadedBy: row.uploaded_by,
  };
}

/**
 * The leaf an upload goes to: the unit, an `assessment` leaf of the framework that applies to
 * the unit's type, and the framework's row.
 */
async function leafOf(db: Kysely<Database>, leaf: EvidenceLeaf) {
  const unit = await units.findUnitByCode(db, leaf.unit);
  if (!unit) throw unknown('unit', leaf.unit);
  const row = await frameworks.findFrameworkRow(db, leaf.framework);
  if (!row) throw unknown('framework', leaf.framework);
  const tree = await frameworkTree(db, leaf.framework);
  const node = tree.nodes.find((one) => one.code === leaf.node);
  if (!node) {
    throw notFound(
      text(
        `Khung ${leaf.framework} không có mục ${leaf.node}.`,
        `Framework ${leaf.framework} has no node ${leaf.node}.`,
      ),
    );
  }
  const notHere = (reason: Text) =>
    invalid(
      text(
        `Mục ${leaf.node} không nhận minh chứng của đơn vị ${leaf.unit}.`,
        `Node ${leaf.node} takes no evidence from unit ${leaf.unit}.`,
      ),
      [{ path: 'node', message: reason }],
    );
  if (innerCodes(tree.nodes).has(node.code)) {
    throw notHere(
      text(
        'mục có mục con: minh chứng gắn với mục lá',
        'it has sub-nodes: evidence goes on leaves',
      ),
    );
  }
  if (node.source !== 'assessment') {
    throw notHere(
      text(
        `điểm của mục lấy từ nguồn ${node.source}, không từ tự đánh giá`,
        `its points come from ${node.source}, not from the self-assessment`,
      ),
    );
  }
  if (node.appliesTo !== null && !node.appliesTo.includes(unit.type)) {
    throw notHere(
      text(
        `mục chỉ áp dụng cho ${node.appliesTo.join(', ')}; đơn vị thuộc loại ${unit.type}`,
        `it applies to ${node.appliesTo.join(', ')} only; the unit is a ${unit.type}`,
      ),
    );
  }
  return { unit, frameworkId: row.id };
}

/**
 * Stores an evidence file on a leaf of the unit's assessment: the unit itself (scoresFor), in
 * a round open for the framework's period among its peers, while the assessment is in draft
 * or returned (made in draft on the first write). Refused, with nothing stored, when the
 * content is of no accepted type or of another than its name claims. The file's bytes are
 * read (`read`) only once the leaf, the uploader and the name have passed.
 */
export async function uploadEvidence(
  db: Kysely<Database>,
  principal: Principal,
  leaf: EvidenceLeaf,
  file: { name: string; read: () => Promise<Uint8Array> },
): Promise<EvidenceFile> {
  const { unit, frameworkId } = await leafOf(db, leaf);
  if (!scoresFor(principal, unit.id)) throw notScorer(unit.code);
  const fileName = safeFileName(file.name);
  const bytes = await file.read();
  const { mediaType } = await evidenceType(bytes, fileName);
  const digest = sha256(bytes);
  return db.transaction().execute(async (trx) => {
    const round = await evidence.findRound(trx, frameworkId, leaf.period);
    if (!round) {
      throw notFound(
        text(
          `Chưa mở đợt tự đánh giá khung ${leaf.framework} kỳ ${leaf.period}.`,
          `No assessment round is open for framework ${leaf.framework}, period ${leaf.period}.`,
        ),
      );
    }
    // Who is expected to assess is read whole, whatever the uploader's own reach.
    const peers = await scorecardPeers(trx, operator(), {
      peers: round.peers,
      period: leaf.period,
    });
    if (!peers.unitIds.includes(unit.id)) {
      throw forbidden(
        text(
          `Đơn vị ${unit.code} không thuộc đợt tự đánh giá của ${round.peers} kỳ ${leaf.period}.`,
          `Unit ${unit.code} is not among the peers ${round.peers} assessed in period ${leaf.period}.`,
        ),
      );
    }
    const assessment = await evidence.lockOrCreateAssessment(trx, round.id, unit.id);
    assertUnitEdits(assessment.state);
    const row = await evidence.insertEvidence(trx, {
      assessmentId: assessment.id,
      node: leaf.node,
      fileName,
      mediaType,
      size: bytes.length,
      sha256: digest,
      content: bytes,
      uploadedBy: principal.actor.id,
    });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'evidence.upload',
      subject: `assessment:${assessment.id}`,
      detail: { ...leaf, evidence: row.id, fileName, mediaType, size: row.size, sha256: digest },
    });
    return fileOf(row);
  });
}

async function foundEvidence(db: Kysely<Database>, id: number) {
  const row = await evidence.findEvidence(db, id);
  if (!row) {
    throw notFound(text(`Không tìm thấy minh chứng ${id}.`, `Unknown evidence file ${id}.`));
  }
  return row;
}

const removed = (id: number, at: Date) =>
  new DomainError(
    'gone',
    text(
      `Minh chứng ${id} đã bị gỡ lúc ${at.toISOString()}.`,
      `Evidence file ${id} was removed at ${at.toISOString()}.`,
    ),
  );

/** An evidence file's bytes and what to serve them as, to the readers of its assessment. */
export async function evidenceDownload(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
): Promise<EvidenceFile & { content: Uint8Array<ArrayBuffer> }> {
  const row = await foundEvidence(db, id);
  await assertReadsAssessmentOf(db, principal, { id: row.unit_id, code: row.unit_code });
  if (row.removed_at !== null) throw removed(id, row.removed_at);
  return { ...fileOf(row), content: await evidence.findEvidenceContent(db, id) };
}

/**
 * Removes an evidence file from its leaf: the unit itself, while its assessment is in draft or
 * returned. The row stays, marked removed, for the history of the assessment.
 */
export async function removeEvidence(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
): Promise<void> {
  const row = await foundEvidence(db, id);
  if (!scoresFor(principal, row.unit_id)) throw notScorer(row.unit_code);
  await db.transaction().execute(async (trx) => {
    const assessment = await evidence.lockAssessment(trx, row.assessment_id);
    // Read again under the lock: a removal racing this one has then finished.
    const current = await foundEvidence(trx, id);
    if (current.removed_at !== null) throw removed(id, current.removed_at);
    assertUnitEdits(assessment.state);
    await evidence.markEvidenceRemoved(trx, id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'evidence.remove',
      subject: `assessment:${assessment.id}`,
      detail: {
        framework: row.framework,
        period: row.period,
        unit: row.unit_code,
        node: row.node,
        evidence: id,
        fileName: row.file_name,
        sha256: row.sha256,
      },
    });
  });
}
