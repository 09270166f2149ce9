// The words of the officials' survey pages (par-cycle.md §5, docs/officials.md), in Vietnamese
// and English; part of messages.ts, kept apart because they are many.

export const officialsVi = {
  navOfficials: 'Khảo sát cán bộ',
  officialsTitle: 'Điều tra xã hội học lãnh đạo, công chức',
  officialsIntro:
    'Cuộc khảo sát được mời: tải lên danh sách nhóm người trả lời và số người (không ghi tên), hệ thống phát mỗi người một đường dẫn dùng một lần để gửi qua thư điện tử, Zalo hoặc in ra. Câu trả lời ẩn danh: không nối được với đường dẫn đã dùng.',
  officialsList: 'Các cuộc khảo sát',
  officialsNone: 'Chưa có cuộc khảo sát nào.',
  officialsCreate: 'Tạo cuộc khảo sát',
  officialsCreated: (code: string) => `Đã tạo cuộc khảo sát ${code}.`,
  officialsOpensOn: 'Mở từ ngày',
  officialsClosesOn: 'Đến hết ngày',
  officialsDates: 'Thời gian trả lời',
  officialsMinGroup: 'Số người tối thiểu của một nhóm',
  officialsMinGroupHelp:
    'Kết quả của nhóm có ít người trả lời hơn số này được ẩn, để không lộ câu trả lời của ai.',
  officialsFrameworkHelp:
    'Khung điểm CCHC nhận điểm của khảo sát: mỗi câu hỏi chấm một mục có nguồn “khảo sát”.',
  officialsOpen: 'Mở',
  officialsBack: 'Các cuộc khảo sát',
  officialsSub: (code: string, framework: string, period: string, from: string, to: string) =>
    `${code} · khung ${framework}, kỳ ${period} · trả lời từ ${from} đến hết ${to}`,
  officialsSections: 'Các phần của cuộc khảo sát',
  groupsTitle: 'Nhóm người trả lời',
  groupsHelp:
    'Tệp CSV hoặc XLSX, các cột unit (mã đơn vị), group (tên nhóm), count (số người được mời): hệ thống phát count đường dẫn cho nhóm. Mọi dòng đúng thì mới lưu. Nhóm đã có: số lớn hơn phát thêm đường dẫn, số nhỏ hơn bị từ chối.',
  groupsFile: 'Tệp nhóm (CSV, XLSX)',
  groupsLoad: 'Tải lên và phát đường dẫn',
  groupsLoaded: (groups: number, issued: number) =>
    `Đã lưu ${groups} nhóm và phát ${issued} đường dẫn mới.`,
  groupsRefused: (n: number) => `Tệp bị từ chối: ${n} lỗi`,
  groupsNothingStored: 'Không nhóm nào được lưu, không đường dẫn nào được phát.',
  linksTitle: 'Đường dẫn trả lời',
  linksHelp:
    'Danh sách để trộn thư: đơn vị, nhóm, số, đường dẫn và trạng thái (đang dùng hoặc đã thu hồi). Danh sách không cho biết đường dẫn nào đã được dùng để trả lời.',
  linksUnit: 'Đơn vị của danh sách',
  linksAllUnits: 'Tất cả đơn vị',
  linksCsv: 'Tải danh sách CSV',
  linksXlsx: 'Tải danh sách XLSX',
  linksSlips: 'Mở phiếu in (mã QR)',
  linksSlipsOpened: 'Đã mở phiếu in trong thẻ mới.',
  reissueTitle: 'Cấp lại một đường dẫn',
  reissueHelp:
    'Đường dẫn bị lộ, gửi nhầm hoặc bị mất: thu hồi theo số của nó và cấp đường dẫn mới cho cùng nhóm. Đường dẫn đã dùng để trả lời thì không cấp lại được; câu trả lời đó vẫn được tính.',
  reissueNumber: 'Số đường dẫn',
  reissueReason: 'Lý do',
  reissueButton: 'Thu hồi và cấp lại',
  reissued: (old: number, number: number) =>
    `Đã thu hồi đường dẫn số ${old}; đường dẫn mới số ${number}:`,
  rateTitle: 'Tỷ lệ trả lời',
  rateHelp:
    'Chỉ có số đếm theo đơn vị và nhóm: không cho biết ai, đường dẫn nào chưa trả lời. Tỷ lệ = số đã trả lời / số được mời.',
  rateTable: 'Tỷ lệ trả lời theo đơn vị và nhóm',
  unitOrGroup: 'Đơn vị / nhóm',
  invited: 'Được mời',
  answered: 'Đã trả lời',
  rate: 'Tỷ lệ',
  revoked: 'Đã thu hồi',
  noGroups: 'Chưa có nhóm nào: tải lên tệp nhóm.',
  resultsTitle: 'Kết quả theo đơn vị',
  resultsHelp: (minGroup: number) =>
    `Điểm của mỗi mục = bình quân tỷ lệ điểm của các phương án đã chọn × điểm tối đa của mục. SE theo mẫu ngẫu nhiên đơn giản, có hiệu chỉnh tổng thể hữu hạn (số được mời); khoảng tin cậy 95%. Nhóm dưới ${minGroup} người trả lời được ẩn.`,
  resultsNone: 'Chưa có câu trả lời nào.',
  resultsOf: (unit: string, name: string) => `${unit} ${name}`,
  resultsCounts: (answered: string, invited: string, rate: string) =>
    `${answered}/${invited} người trả lời (${rate})`,
  leafOrGroup: 'Mục / nhóm',
  officialRespondents: 'Người trả lời',
  meanShare: 'Tỷ lệ điểm bình quân (%)',
  pointsColumn: 'Điểm / tối đa',
  ci95: 'Khoảng tin cậy 95%',
  groupLabel: (group: string) => `Nhóm ${group}`,
  suppressedSmall: (minGroup: number) => `Ẩn (dưới ${minGroup} người)`,
  suppressedComplementary: 'Ẩn (để không suy ra được nhóm nhỏ)',
  officialsChange: 'Đổi tên, hạn trả lời',
  officialsChangeHelp:
    'Gia hạn, hoặc đóng sớm bằng một ngày trước (không trước ngày mở). Sau ngày này, đường dẫn không còn nhận câu trả lời.',
  officialsChanged: 'Đã lưu thay đổi.',
  deriveTitle: 'Tính điểm PAR',
  deriveHelp: (framework: string, period: string) =>
    `Lưu điểm của từng đơn vị vào điểm CCHC của khung ${framework}, kỳ ${period}, thay điểm đã tính trước từ cuộc khảo sát này.`,
  deriveButton: 'Tính điểm PAR',
  derived: (stored: number, units: number) => `Đã lưu ${stored} điểm của ${units} đơn vị.`,
  deriveScorecard: 'Xem bảng điểm CCHC',
};

export const officialsEn: typeof officialsVi = {
  navOfficials: "Officials' survey",
  officialsTitle: "Leaders' and officials' survey",
  officialsIntro:
    'An invited survey: upload the groups of respondents and their counts (no names), and the service issues one single-use link each, to send by e-mail or Zalo or to print. Answers are anonymous: none can be joined to the link that sent it.',
  officialsList: 'Surveys',
  officialsNone: 'No survey yet.',
  officialsCreate: 'Create a survey',
  officialsCreated: (code: string) => `Survey ${code} created.`,
  officialsOpensOn: 'Opens on',
  officialsClosesOn: 'Closes after',
  officialsDates: 'Answering',
  officialsMinGroup: 'Smallest group shown',
  officialsMinGroupHelp:
    "A group with fewer respondents than this has its results withheld, so that nobody's answers show.",
  officialsFrameworkHelp:
    'The PAR framework that receives the points: each question scores one of its leaves of source “survey”.',
  officialsOpen: 'Open',
  officialsBack: 'Surveys',
  officialsSub: (code: string, framework: string, period: string, from: string, to: string) =>
    `${code} · framework ${framework}, period ${period} · answering from ${from} through ${to}`,
  officialsSections: "The survey's parts",
  groupsTitle: 'Groups of respondents',
  groupsHelp:
    'A CSV or XLSX file with the columns unit (a unit code), group (a name) and count (respondents invited): the service issues count links to the group. Nothing is stored unless every line is right. A group already there: a higher count issues the extra links, a lower one is refused.',
  groupsFile: 'Groups file (CSV, XLSX)',
  groupsLoad: 'Upload and issue links',
  groupsLoaded: (groups: number, issued: number) =>
    `${groups} groups stored, ${issued} new links issued.`,
  groupsRefused: (n: number) => `File refused: ${n} problems`,
  groupsNothingStored: 'No group was stored and no link issued.',
  linksTitle: 'Answer links',
  linksHelp:
    'The list for a mail merge: unit, group, number, link and status (active or revoked). It never says which links were used to answer.',
  linksUnit: 'Unit of the list',
  linksAllUnits: 'All units',
  linksCsv: 'Download the list (CSV)',
  linksXlsx: 'Download the list (XLSX)',
  linksSlips: 'Open the printable slips (QR)',
  linksSlipsOpened: 'The printable slips opened in a new tab.',
  reissueTitle: 'Reissue a link',
  reissueHelp:
    'A link leaked, sent to the wrong person or lost: revoke it by its number and issue a new one to the same group. A link already used to answer cannot be reissued; its answer still counts.',
  reissueNumber: 'Link number',
  reissueReason: 'Reason',
  reissueButton: 'Revoke and reissue',
  reissued: (old: number, number: number) => `Link ${old} revoked; the new link, number ${number}:`,
  rateTitle: 'Response rate',
  rateHelp:
    'Counts by unit and group only: nothing says who, or which link, has not answered. Rate = answered / invited.',
  rateTable: 'Response rate by unit and group',
  unitOrGroup: 'Unit / group',
  invited: 'Invited',
  answered: 'Answered',
  rate: 'Rate',
  revoked: 'Revoked',
  noGroups: 'No group yet: upload a groups file.',
  resultsTitle: 'Results by unit',
  resultsHelp: (minGroup: number) =>
    `A leaf's points = the mean share of the options chosen × the leaf's maximum. SE by simple random sampling with the finite population correction (the invited); 95% interval. Groups of fewer than ${minGroup} respondents are withheld.`,
  resultsNone: 'No answer yet.',
  resultsOf: (unit: string, name: string) => `${unit} ${name}`,
  resultsCounts: (answered: string, invited: string, rate: string) =>
    `${answered}/${invited} respondents (${rate})`,
  leafOrGroup: 'Leaf / group',
  officialRespondents: 'Respondents',
  meanShare: 'Mean share (%)',
  pointsColumn: 'Points / maximum',
  ci95: '95% interval',
  groupLabel: (group: string) => `Group ${group}`,
  suppressedSmall: (minGroup: number) => `Withheld (under ${minGroup} respondents)`,
  suppressedComplementary: 'Withheld (it would give a small group away)',
  officialsChange: 'Rename, change the last day',
  officialsChangeHelp:
    'Extend it, or close it early with an earlier day (not before it opens). After this day, its links take no answer.',
  officialsChanged: 'Changes saved.',
  deriveTitle: 'Derive the PAR points',
  deriveHelp: (framework: string, period: string) =>
    `Stores each unit's points as its PAR points of framework ${framework}, period ${period}, replacing those this survey derived before.`,
  deriveButton: 'Derive the PAR points',
  derived: (stored: number, units: number) => `${stored} points of ${units} units stored.`,
  deriveScorecard: 'Open the PAR scorecard',
};
