// par-officials-2020: the leaders' and officials' survey of the provincial PAR Index of 2020
// (par-cycle.md §5), every item scoring the framework's `leaders` leaf (23.5 points). The
// Ministry's questionnaire was not available; this is the project's own rendering of its
// subjects, as sipas-2017 is of its method, and says so in its `note`.
import type { OfficialInstrumentInput } from '../official-instrument.ts';

const item = (code: string, vi: string, en: string) => ({
  code,
  leaf: 'leaders',
  text: { vi, en },
});

export const parOfficials2020: OfficialInstrumentInput = {
  code: 'par-officials-2020',
  name: {
    vi: 'Điều tra xã hội học lãnh đạo, quản lý về cải cách hành chính (2020)',
    en: "Leaders' and officials' survey on administrative reform (2020)",
  },
  note: {
    vi: 'Cách diễn đạt của dự án, không phải mẫu phiếu chính thức của Bộ Nội vụ.',
    en: "The project's own rendering, not the Ministry of Home Affairs' official form.",
  },
  items: [
    item(
      'LD1',
      'Công tác chỉ đạo, điều hành cải cách hành chính của cơ quan, đơn vị',
      'The direction and steering of administrative reform in the agency',
    ),
    item(
      'LD2',
      'Chất lượng văn bản quy phạm pháp luật do địa phương ban hành',
      'The quality of the legal documents the province issues',
    ),
    item(
      'LD3',
      'Kết quả cải cách thủ tục hành chính',
      'The results of reforming administrative procedures',
    ),
    item(
      'LD4',
      'Việc sắp xếp tổ chức bộ máy hành chính',
      'The reorganisation of the administrative apparatus',
    ),
    item(
      'LD5',
      'Chất lượng đội ngũ cán bộ, công chức, viên chức',
      'The quality of cadres, civil servants and public employees',
    ),
    item('LD6', 'Việc quản lý, sử dụng tài chính công', 'The management and use of public finance'),
    item(
      'LD7',
      'Kết quả xây dựng chính quyền điện tử, chính quyền số',
      'The results of building e-government and digital government',
    ),
    item(
      'LD8',
      'Tác động của cải cách hành chính đến phát triển kinh tế - xã hội của địa phương',
      "The effect of administrative reform on the province's development",
    ),
  ],
};
