// Every word of the console, in Vietnamese (the default) and English. The instrument's own
// texts come from the API; the rules' explanations follow the scores document's `rules`.
import { CODE_MAX, isMode, type Mode } from '../../shared/rules.ts';
import type { Role, Rules } from './schemas.ts';

export type Lang = 'vi' | 'en';

const modeNamesVi: Record<Mode, string> = {
  qr: 'QR',
  kiosk: 'kiosk',
  paper: 'phiếu giấy',
  post: 'bưu điện',
  phone: 'điện thoại',
  interview: 'phỏng vấn',
  online: 'trực tuyến',
};
const modeNamesEn: Record<Mode, string> = {
  qr: 'QR',
  kiosk: 'kiosk',
  paper: 'paper',
  post: 'post',
  phone: 'phone',
  interview: 'interview',
  online: 'online',
};

const satisfiedSet = (rules: Rules): string => rules.satisfied.join(', ');

const vi = {
  appName: 'SIPAS: bảng điều khiển',
  otherLanguage: 'English',
  skipToContent: 'Bỏ qua, đến nội dung chính',
  mainNav: 'Điều hướng chính',
  navOrganisation: 'Tổ chức',
  navCampaigns: 'Đợt khảo sát',
  navScorecard: 'Điểm CCHC',
  navAudit: 'Nhật ký',
  quarantineTitle: 'Phiếu tạm giữ',
  quarantineIntro:
    'Phiếu khảo sát đáng ngờ được lưu tạm giữ, không tính điểm. Kiểm tra rồi chấp nhận những phiếu thật, kèm ghi chú lý do.',
  noQuarantined: 'Không có phiếu tạm giữ.',
  byReason: 'Theo lý do',
  byCounter: 'Theo quầy',
  quarantineShown: (from: number, to: number, total: number) =>
    `Phiếu ${from}–${to} trong ${total} phiếu tạm giữ, cũ nhất trước.`,
  nextPage: 'Trang sau',
  firstPage: 'Trang đầu',
  reason: 'Lý do',
  reasonName: (reason: string | null): string =>
    reason === null
      ? '—'
      : ({
          honeypot: 'trường ẩn bị điền (máy gửi)',
          'too-fast': 'trả lời quá nhanh',
          'outside-period': 'ngoài thời gian đợt',
          'rate-limit': 'gửi quá nhiều',
          unverifiable: 'thiếu thông tin kiểm tra',
          'revoked-token': 'gửi bằng mã QR đã thay từ lâu',
        }[reason] ?? reason),
  count: 'Số phiếu',
  receivedAt: 'Nhận lúc',
  submittedAt: 'Gửi lúc',
  select: 'Chọn',
  selectRow: (id: string) => `Chọn phiếu ${id}`,
  releaseNote: 'Ghi chú (lý do chấp nhận)',
  release: (n: number) => `Chấp nhận ${n} phiếu đã chọn`,
  released: (n: number) => `Đã chấp nhận ${n} phiếu; điểm sẽ tính cả các phiếu này.`,
  auditTitle: 'Nhật ký thao tác',
  auditIntro: 'Ai đã làm gì, lúc nào: mọi thay đổi của cán bộ, mới nhất trước.',
  auditUnit: 'Đơn vị (cả đơn vị trực thuộc)',
  auditActor: 'Người thực hiện (cli hoặc account:ID)',
  auditAction: 'Thao tác',
  anyAction: '(mọi thao tác)',
  fromDay: 'Từ ngày',
  toDay: 'Đến ngày',
  applyFilters: 'Lọc',
  at: 'Thời điểm',
  actor: 'Người thực hiện',
  subject: 'Đối tượng',
  detail: 'Chi tiết',
  noEntries: 'Không có mục nào.',
  olderEntries: 'Cũ hơn',

  roleName: {
    admin: 'quản trị',
    surveyor: 'đơn vị khảo sát',
    analyst: 'phân tích',
    appraiser: 'thẩm định',
    unit: 'đơn vị được đánh giá',
  } satisfies Record<Role, string>,
  signOut: 'Đăng xuất',
  signedOut: 'Đã đăng xuất.',
  sessionExpired: 'Phiên đăng nhập đã hết hạn. Xin đăng nhập lại.',
  loading: 'Đang tải…',
  pageMissing: 'Không có trang này',
  roleCannot: (role: string) => `Vai trò ${role} không dùng trang này.`,
  errorTitle: 'Không thực hiện được.',
  errorForbidden:
    'Tài khoản này không có quyền với nội dung đó (ngoài vai trò hoặc ngoài đơn vị được giao).',
  errorNotFound: 'Không tìm thấy.',
  errorNetwork: 'Không kết nối được máy chủ.',

  signInTitle: 'Đăng nhập',
  loginLabel: 'Tên đăng nhập',
  passwordLabel: 'Mật khẩu',
  signIn: 'Đăng nhập',
  singleSignOn: 'Đăng nhập bằng tài khoản một cửa',
  signInRefused: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  navAccounts: 'Tài khoản & token',
  navPassword: 'Đổi mật khẩu',
  setupTitle: 'Tạo tài khoản quản trị đầu tiên',
  setupHelp: 'Liên kết khởi tạo chỉ dùng được một lần, trong một giờ sau khi máy chủ khởi động.',
  setupMissing: 'Liên kết thiếu mã khởi tạo. Hãy mở đúng liên kết máy chủ in ra khi khởi động.',
  setupSubmit: 'Tạo và đăng nhập',
  nameLabel: 'Họ và tên',
  newPasswordLabel: 'Mật khẩu mới',
  passwordHelp: 'Ít nhất 10 ký tự.',
  currentPasswordLabel: 'Mật khẩu hiện tại',
  passwordTitle: 'Đổi mật khẩu',
  passwordChanged: 'Đã đổi mật khẩu.',
  passwordChange: 'Đổi mật khẩu',
  accountsTitle: 'Tài khoản & token',
  accountsList: 'Tài khoản nhân viên',
  accountLogin: 'Tên đăng nhập',
  accountName: 'Họ và tên',
  accountRole: 'Vai trò',
  accountUnit: 'Đơn vị',
  accountState: 'Trạng thái',
  accountActive: 'đang dùng',
  accountDisabled: 'đã khóa',
  accountActions: 'Thao tác',
  allUnits: '(toàn tỉnh)',
  newAccount: 'Tạo tài khoản',
  createAccount: 'Tạo tài khoản',
  accountCreated: (login: string) => `Đã tạo tài khoản ${login}.`,
  disableAccount: 'Khóa',
  enableAccount: 'Mở khóa',
  accountDisabledDone: (login: string) => `Đã khóa tài khoản ${login}.`,
  accountEnabledDone: (login: string) => `Đã mở khóa tài khoản ${login}.`,
  resetPassword: 'Đặt lại mật khẩu',
  setPassword: 'Đặt mật khẩu',
  accountPasswordHelp:
    'Ít nhất 10 ký tự. Để trống nếu tài khoản chỉ đăng nhập một cửa (có thể đặt mật khẩu sau).',
  accountSingleSignOnOnly: 'chỉ đăng nhập một cửa',
  resetFor: (login: string) => `Mật khẩu mới cho ${login}`,
  passwordReset: (login: string) => `Đã đặt lại mật khẩu của ${login}.`,
  tokensList: 'Token API',
  tokenPrefix: 'Mã nhận diện',
  tokenName: 'Tên',
  tokenOwner: 'Người tạo',
  tokenCreated: 'Tạo lúc',
  tokenLastUsed: 'Dùng lần cuối',
  tokenRevokedAt: 'Thu hồi lúc',
  never: '–',
  commandLine: '(dòng lệnh)',
  newApiToken: 'Tạo token API',
  createApiToken: 'Tạo token',
  apiTokenShown: 'Token mới (chỉ hiện một lần, hãy chép ngay; máy chủ chỉ lưu bản băm của nó):',
  revokeApiToken: 'Thu hồi',
  apiTokenRevoked: (prefix: string) => `Đã thu hồi token ${prefix}.`,
  noUnit: '(không)',

  code: 'Mã',
  name: 'Tên',
  unit: 'Đơn vị',
  units: 'Đơn vị',
  counter: 'Quầy',
  counters: 'Quầy',
  actions: 'Thao tác',
  save: 'Lưu',
  cancel: 'Huỷ',
  close: 'Đóng',
  edit: 'Sửa',
  total: 'Tổng',
  codeHelp: `Từ 1 đến ${CODE_MAX} ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.`,

  organisationTitle: 'Tổ chức: đơn vị và quầy',
  scopeNote: (unit: string) => `Trong phạm vi đơn vị ${unit} và các đơn vị trực thuộc.`,
  unitTree: 'Cây đơn vị',
  noUnits: 'Chưa có đơn vị nào.',
  noCounters: 'Chưa có quầy nào.',
  counterCount: (n: number) => `${n} quầy`,
  countersOf: (unit: string) => `Các quầy của ${unit}`,
  renameMoveUnit: 'Đổi tên, chuyển đơn vị',
  parentUnit: 'Đơn vị cấp trên',
  noParent: '(không có: đơn vị gốc)',
  scopeRootFixed: 'Đơn vị gốc trong phạm vi của tài khoản: không chuyển được.',
  addRootUnit: 'Thêm đơn vị gốc',
  addSubUnit: (parent: string) => `Thêm đơn vị trực thuộc ${parent}`,
  addUnit: 'Thêm đơn vị',
  unitCreated: (code: string) => `Đã thêm đơn vị ${code}.`,
  unitSaved: (code: string) => `Đã lưu đơn vị ${code}.`,
  addCounterTo: (unit: string) => `Thêm quầy cho ${unit}`,
  counterCode: 'Mã quầy',
  counterName: 'Tên quầy',
  addCounter: 'Thêm quầy',
  counterCreated: (code: string) => `Đã thêm quầy ${code}.`,
  counterSaved: (code: string) => `Đã lưu quầy ${code}.`,
  qrCode: 'Mã QR',
  qrActive: 'Đang dùng',
  qrNone: 'Chưa có',
  issueToken: 'Cấp mã QR mới',
  revokeToken: 'Thu hồi mã QR',
  editLabel: (counter: string) => `Sửa quầy ${counter}`,
  issueLabel: (counter: string) => `Cấp mã QR mới cho quầy ${counter}`,
  revokeLabel: (counter: string) => `Thu hồi mã QR của quầy ${counter}`,
  confirmIssue: (counter: string) =>
    `Cấp mã mới cho quầy ${counter}? Mã QR đang dán tại quầy (nếu có) sẽ ngừng hoạt động.`,
  confirmIssueButton: 'Cấp mã mới',
  confirmRevoke: (counter: string) =>
    `Thu hồi mã QR của quầy ${counter}? Người dân quét mã cũ sẽ thấy khảo sát đã đóng.`,
  confirmRevokeButton: 'Thu hồi',
  tokenIssued: (counter: string) => `Đã cấp mã QR mới cho quầy ${counter}.`,
  tokenRevoked: (counter: string) => `Đã thu hồi mã QR của quầy ${counter}.`,
  issuedTitle: (counter: string) => `Mã QR mới của quầy ${counter}`,
  issuedHelp: 'Đường dẫn khảo sát chỉ hiện một lần: hãy in hoặc lưu ngay.',
  shortCodeHelp: (address: string) =>
    `Mã quầy, in dưới mã QR cho người không quét được mã (nhập tại ${address}):`,
  kioskHelp:
    'Máy tính bảng đặt tại quầy (chế độ kiosk): mở địa chỉ này; sau mỗi phiếu và sau 60 giây không dùng, trang tự trở về đầu.',
  qrAlt: (counter: string) => `Mã QR khảo sát của quầy ${counter}`,
  qrSheetTitle: 'Tờ mã QR để in',
  qrSheetHelp:
    'Một tờ A4 cho đơn vị: mỗi quầy một thẻ gồm tên quầy, tên đơn vị, mã QR và hướng dẫn. In tờ này sẽ cấp mã mới cho mọi quầy của đơn vị.',
  qrSheetButton: 'In tờ mã QR…',
  confirmQrSheet: (unit: string, n: number) =>
    `Cấp mã mới cho ${n} quầy của ${unit} và mở tờ in? Các mã QR cũ của những quầy này sẽ ngừng hoạt động.`,
  printQrSheet: 'Cấp mã và mở tờ in',
  qrSheetOpened: 'Đã mở tờ mã QR trong thẻ mới.',

  campaignsTitle: 'Đợt khảo sát',
  noCampaigns: 'Chưa có đợt khảo sát nào.',
  instrument: 'Bộ câu hỏi',
  period: 'Thời gian',
  state: 'Trạng thái',
  campaignState: { upcoming: 'sắp mở', open: 'đang mở', closed: 'đã đóng' },
  periodText: (from: string, to: string) => `${from} đến ${to}`,
  progress: 'Tiến độ',
  paperEntry: 'Nhập phiếu giấy',
  importFile: 'Nhập tệp',
  scores: 'Điểm hài lòng',
  createCampaign: 'Tạo đợt khảo sát',
  from: 'Từ ngày',
  to: 'Đến ngày',
  design: 'Thiết kế mẫu',
  designName: { srs: 'ngẫu nhiên đơn giản (srs)', stratified: 'phân tầng theo quầy (stratified)' },
  countersAndTargets: 'Quầy và chỉ tiêu mẫu',
  inCampaign: 'Quầy',
  target: 'Chỉ tiêu',
  targetFor: (counter: string) => `Chỉ tiêu mẫu của quầy ${counter}`,
  campaignCreated: (code: string) => `Đã tạo đợt ${code}.`,

  campaignNav: 'Trong đợt này',
  progressTable: 'Tiến độ theo quầy',
  progressCaption: 'Số phiếu hợp lệ theo quầy so với chỉ tiêu và số giao dịch',
  responses: 'Phiếu hợp lệ',
  againstTarget: 'Đạt so với chỉ tiêu',
  plannedSample: 'Cỡ mẫu cần',
  transactions: 'Giao dịch',
  responseRate: 'Tỉ lệ phản hồi (%)',
  quarantined: 'Tạm giữ',
  byMode: 'Theo hình thức',
  modeName: (mode: string) => (isMode(mode) ? modeNamesVi[mode] : mode),
  refreshedAuto: (time: string, seconds: number) =>
    `Cập nhật lúc ${time}; tự cập nhật mỗi ${seconds} giây khi đợt đang mở.`,
  refreshedAt: (time: string) => `Cập nhật lúc ${time}.`,
  refreshNow: 'Cập nhật ngay',
  transactionsTitle: 'Số giao dịch trong đợt',
  transactionsHelp:
    'Số hồ sơ đã giải quyết tại mỗi quầy trong thời gian của đợt: dùng tính tỉ lệ phản hồi và thiết kế phân tầng.',
  saveTransactions: 'Lưu số giao dịch',
  transactionsFile: 'Hoặc nhập tệp transactions (CSV hoặc XLSX)',
  transactionsFileHelp: 'Hai cột: counter, transactions.',
  importTransactions: 'Nhập tệp giao dịch',
  transactionsSaved: 'Đã lưu số giao dịch.',
  transactionsFor: (counter: string) => `Số giao dịch của quầy ${counter}`,

  editCampaign: 'Sửa đợt khảo sát',
  editTitle: (code: string) => `Sửa đợt khảo sát ${code}`,
  periodTitle: 'Tên và thời gian',
  periodHelp:
    'Thời gian có thể kéo dài khi các quầy không thuộc đợt khác trong thời gian thêm, và rút ngắn khi không bỏ ra ngoài phiếu nào đã lưu.',
  saveCampaign: 'Lưu tên và thời gian',
  campaignSaved: 'Đã lưu đợt khảo sát.',
  targetsHelp:
    'Để trống chỉ tiêu để bỏ chỉ tiêu. Chỉ gỡ được quầy chưa có phiếu nào (kể cả phiếu đã hủy hoặc cách ly).',
  saveTargets: 'Lưu chỉ tiêu',
  targetsSaved: 'Đã lưu chỉ tiêu.',
  removeCounter: (counter: string) => `Gỡ quầy ${counter}`,
  counterRemoved: (counter: string) => `Đã gỡ quầy ${counter}.`,
  addCounterTitle: 'Thêm quầy vào đợt',
  counterToAdd: 'Quầy cần thêm',
  counterAdded: (counter: string) => `Đã thêm quầy ${counter}.`,
  noCounterToAdd: 'Mọi quầy đã thuộc đợt này.',

  entryTitle: 'Nhập phiếu giấy',
  backToCampaign: 'Về trang đợt khảo sát',
  entryKeys:
    'Chỉ cần bàn phím: trên mỗi câu, phím 1–9 chọn phương án theo thứ tự và sang câu kế tiếp; 0 để trống và sang câu kế; Backspace xoá câu trả lời; Enter lưu phiếu. Câu có nhiều lựa chọn: phím số bật/tắt từng lựa chọn, Tab sang câu kế.',
  formDetails: 'Thông tin phiếu',
  formDate: 'Ngày trả lời',
  mode: 'Hình thức',
  formNumber: 'Số phiếu',
  formNumberHelp:
    'Không bắt buộc. Số phiếu tăng dần sau mỗi lần lưu; một số phiếu chỉ lưu được một lần trong đợt.',
  skippedBecause: (item: string) => `(bỏ qua: chỉ hỏi khi ${item} = Có)`,
  chooseMany: '(chọn được nhiều)',
  noSuchOption: (digit: number, item: string) => `Câu ${item} không có phương án ${digit}.`,
  nothingAnswered: 'Phiếu chưa có câu trả lời nào.',
  stillSaving: 'Đang lưu phiếu trước, xin nhập lại phím vừa bấm sau khi lưu xong.',
  storeForm: 'Lưu phiếu (Enter)',
  answeredOf: (answered: number, asked: number) => `Đã trả lời ${answered}/${asked} câu`,
  formStored: (form: string, answered: number, session: number) =>
    `Đã lưu${form ? ` phiếu số ${form}` : ' phiếu'} (${answered} câu trả lời). Phiếu thứ ${session} trong phiên này.`,
  correctTitle: 'Hủy phiếu nhập sai / Void a mis-keyed form',
  correctHelp:
    'Tìm phiếu theo số phiếu; phiếu bị hủy vẫn được lưu và ghi nhật ký nhưng không được tính điểm.',
  findForm: 'Tìm phiếu',
  noSuchForm: (form: string) => `Không có phiếu số ${form} trong đợt này.`,
  formStatus: (status: string) =>
    ({ valid: 'đang tính', quarantined: 'cách ly', voided: 'đã hủy', replaced: 'đã thay' })[
      status
    ] ?? status,
  voidReason: 'Lý do hủy',
  voidForm: 'Hủy phiếu',
  formVoided: (form: string) => `Đã hủy phiếu ${form}.`,
  notCorrectable: 'Không thể hủy: ý kiến của người dân (QR) chỉ có thể cách ly.',
  replaceForm: 'Thay bằng bản sửa',
  replaceTitle: (form: string) => `Bản sửa của phiếu ${form}`,
  replaceHelp:
    'Nhập lại mọi câu trả lời của phiếu giấy (không câu nào được chép sang); phiếu cũ được giữ trong nhật ký và không còn được tính điểm.',
  replaceReason: 'Lý do thay',
  storeReplacement: 'Lưu bản sửa',
  formReplaced: (form: string) => `Đã thay phiếu ${form} bằng bản sửa.`,
  formRefused: 'Phiếu chưa được lưu.',
  storedThisSession: (n: number) => `Đã lưu trong phiên này: ${n} phiếu`,
  answersCount: (n: number) => `${n} câu trả lời`,

  importTitle: 'Nhập tệp phiếu',
  importHelp:
    'Tệp CSV hoặc XLSX theo mẫu (mỗi dòng một phiếu: response_id, counter, submitted_at, mode, service_area và một cột cho mỗi câu hỏi). Tệp được kiểm tra trước; chỉ lưu khi mọi dòng hợp lệ.',
  responsesFile: 'Tệp phiếu (CSV hoặc XLSX)',
  ignoreUnknown: 'Bỏ qua các cột không thuộc mẫu',
  checkFile: 'Kiểm tra tệp (chưa lưu)',
  importProblems: 'Các lỗi trong tệp',
  line: 'Dòng',
  column: 'Cột',
  problem: 'Lỗi',
  importRefused: (n: number) => `Tệp có ${n} lỗi`,
  nothingStored: 'Không phiếu nào được lưu.',
  importChecked: (n: string) => `Tệp hợp lệ: ${n} phiếu sẽ được lưu`,
  importStored: (n: string) => `Đã lưu ${n} phiếu`,
  duplicatesSkipped: (n: number) => `${n} phiếu đã có trong đợt (trùng số phiếu) được bỏ qua:`,
  nothingStoredYet: 'Chưa lưu gì: đây mới là bước kiểm tra.',
  storeRows: (n: string) => `Lưu ${n} phiếu`,

  scoresTitle: (name: string) => `Điểm hài lòng: ${name}`,
  groupShown: 'Nhóm hiển thị',
  wholeCampaign: 'Toàn đợt',
  noResponses: 'Chưa có phiếu hợp lệ nào.',
  sipasOf: (group: string) => `SIPAS: ${group}`,
  interval95: 'Khoảng tin cậy 95%',
  se: 'Sai số chuẩn',
  respondents: 'Số phiếu',
  noTransactions: 'chưa có số giao dịch',
  factorsTitle: 'Năm yếu tố',
  axisPercent: 'Chỉ số (%); vạch ngang là khoảng tin cậy 95%',
  block: 'Khối',
  itemsTitle: 'Các tiêu chí',
  criterion: 'Tiêu chí',
  valid: 'Hợp lệ',
  satisfied: 'Hài lòng',
  index: 'Chỉ số (%)',
  flags: 'Lưu ý',
  flagName: (flag: string, rules: Rules): string =>
    flag === 'small-sample'
      ? `mẫu nhỏ (dưới ${rules.adequacy?.minRespondents ?? 30})`
      : flag === 'wide-interval'
        ? `khoảng tin cậy rộng (trên ${rules.adequacy?.maxIntervalWidth ?? 10} điểm)`
        : flag === 'lonely-stratum'
          ? 'có quầy chỉ 1 phiếu'
          : flag === 'reorganised'
            ? 'tổ chức đã sắp xếp lại, độ phủ dưới ngưỡng'
            : flag,
  rankCounters: 'Xếp hạng các quầy',
  rankUnits: 'Xếp hạng các đơn vị',
  rankFlagged: 'Xếp hạng cả nhóm có lưu ý (mẫu nhỏ, khoảng rộng)',
  peersOf: (parent: string) => `Các đơn vị trực thuộc ${parent}`,
  rank: 'Hạng',
  group: 'Nhóm',
  tied: '(đồng hạng)',
  notRanked: 'không xếp hạng',
  compareTitle: 'So sánh với đợt khác',
  compareWith: 'So với đợt',
  chooseCampaign: '(chọn đợt)',
  noComparableGroup: 'Nhóm này không có trong đợt được chọn.',
  compareCaption: (a: string, b: string, na: number, nb: number) =>
    `${a} (${na} phiếu) so với ${b} (${nb} phiếu)`,
  change: 'Thay đổi',
  changeInterval: 'KTC 95% của thay đổi',
  significance: 'Ý nghĩa thống kê',
  significant: 'có ý nghĩa',
  notSignificant: 'không có ý nghĩa',
  notTestable: 'không kiểm định được',
  coverage: (percent: string) =>
    `Độ phủ ${percent}%: phần phiếu của đợt sau ở các quầy đã có phiếu trong đợt trước.`,
  exportsTitle: 'Tải về',
  templateCsv: 'Tải mẫu CSV',
  templateXlsx: 'Tải mẫu XLSX',
  templatesHelp:
    'Tệp mẫu có đúng các cột cần nhập và một dòng ví dụ nhập được ngay; hãy thay dòng ví dụ bằng dữ liệu của mình. Tệp CSV phân cách bằng dấu chấm phẩy (;), như Excel lưu khi máy dùng tiếng Việt, cũng được nhận.',
  exportScoresCsv: 'Điểm theo quầy (CSV)',
  exportScoresXlsx: 'Điểm theo quầy (XLSX)',
  exportResponsesCsv: 'Phiếu (CSV)',
  exportResponsesXlsx: 'Phiếu (XLSX)',
  exportScorecardCsv: 'Bảng điểm (CSV)',
  exportScorecardXlsx: 'Bảng điểm (XLSX)',
  downloaded: (name: string) => `Đã tải ${name}.`,
  campaignDesign: (design: string) => `theo đợt: ${design}`,

  ruleLabel: 'Cách tính:',
  rule: {
    item: (rules: Rules): string =>
      rules.score === 'mean'
        ? 'chỉ số tiêu chí = (điểm trung bình − 1) / 4 × 100.'
        : `chỉ số tiêu chí = 100 × số trả lời mức ${satisfiedSet(rules)} / số trả lời hợp lệ (1–5)${rules.blanks === 'exclude' ? ', câu bỏ trống không tính' : ', câu bỏ trống tính là không hài lòng'}.`,
    itemInterval: (rules: Rules): string =>
      rules.design === 'srs'
        ? 'Khoảng tin cậy 95% Wilson; sai số chuẩn theo mẫu ngẫu nhiên đơn giản.'
        : 'Khoảng tin cậy 95% = chỉ số ± 1,96 × sai số chuẩn (phân tầng theo quầy), giới hạn trong 0–100.',
    factor: (rules: Rules): string =>
      rules.factor === 'meanOfItems'
        ? 'chỉ số yếu tố = trung bình chỉ số các tiêu chí của yếu tố.'
        : rules.factor === 'pooled'
          ? 'chỉ số yếu tố = gộp mọi câu trả lời của các tiêu chí trong yếu tố.'
          : 'chỉ số yếu tố = chỉ số câu hỏi chung của yếu tố.',
    sipas: (rules: Rules): string =>
      rules.sipas === 'meanOfFactors'
        ? 'SIPAS = trung bình chỉ số các yếu tố.'
        : rules.sipas === 'pooled'
          ? 'SIPAS = gộp mọi câu trả lời của các tiêu chí.'
          : 'SIPAS = chỉ số câu hỏi hài lòng chung (HL).',
    normalInterval: 'Khoảng tin cậy 95% = chỉ số ± 1,96 × sai số chuẩn (tuyến tính hoá Taylor).',
    responseRate:
      'Tỉ lệ phản hồi = 100 × số phiếu tại các quầy có số giao dịch / tổng số giao dịch.',
    design: (rules: Rules): string =>
      rules.design === 'srs'
        ? 'Thiết kế: mẫu ngẫu nhiên đơn giản.'
        : 'Thiết kế: phân tầng theo quầy, trọng số = số giao dịch / số phiếu của quầy.',
    above: (rules: Rules): string =>
      rules.above === 'pooled'
        ? 'Đơn vị: gộp phiếu của mọi quầy bên dưới.'
        : 'Đơn vị: trung bình các đơn vị con.',
    ranking:
      'Xếp theo SIPAS; bằng nhau ở 2 chữ số thập phân thì đồng hạng, hạng sau bỏ qua (1, 2, 2, 4); nhóm có lưu ý không xếp hạng trừ khi chọn.',
    change:
      'thay đổi = chỉ số đợt này − chỉ số đợt so sánh; sai số chuẩn của hai mẫu độc lập; có ý nghĩa khi khoảng tin cậy 95% của thay đổi không chứa 0.',
    progress:
      'tỉ lệ phản hồi = 100 × số phiếu hợp lệ / số giao dịch; cỡ mẫu cần n = N / (1 + N × 0,05²) với N giao dịch; mức đạt = 100 × số phiếu / chỉ tiêu (không có chỉ tiêu thì so với cỡ mẫu cần). Phiếu tạm giữ không được tính điểm.',
    scorecard:
      'tổng = cộng điểm các thành phần (thiếu thành phần tính 0); điểm bằng nhau (làm tròn 3 chữ số) thì đồng hạng, hạng sau bỏ qua; thay đổi so với kỳ trước; mục tiêu = tổng điểm của đơn vị thứ K; khoảng cách = mục tiêu − tổng (0 khi đã đạt); còn có thể đạt = điểm tối đa − điểm.',
  },

  scorecardTitle: 'Điểm chỉ số CCHC (PAR Index)',
  framework: 'Khung điểm',
  periodLabel: 'Kỳ',
  peersUnit: 'So sánh các đơn vị trực thuộc',
  chooseUnit: '(chọn đơn vị)',
  topK: 'Mục tiêu: nhóm dẫn đầu (K)',
  showScorecard: 'Xem bảng điểm',
  scorecardOf: (framework: string, period: string) => `Bảng điểm ${framework}, kỳ ${period}`,
  scorecardSummary: (peers: string, period: string, previous: string | null) =>
    `Các đơn vị trực thuộc ${peers}, kỳ ${period}${previous ? `, so với kỳ ${previous}` : ', chưa có kỳ trước'}.`,
  targetSummary: (top: number, target: string) =>
    `Mục tiêu nhóm ${top} đơn vị dẫn đầu: ${target} điểm.`,
  rankChange: 'Thay đổi hạng',
  previousFrom: (codes: string) => `kỳ trước tính từ ${codes}`,
  noPoints: (peers: string, period: string) =>
    `Chưa có điểm của đơn vị nào trực thuộc ${peers} trong kỳ ${period}.`,
  gapToTarget: 'Còn thiếu so với mục tiêu',
  componentName: (code: string) =>
    ({ appraisal: 'Thẩm định', sipas: 'SIPAS', leaders: 'Điều tra XHH' })[code] ?? code,
  pointsOf: (points: string, max: string) => `${points} / ${max}`,
  rankShort: (rank: number) => `hạng ${rank}`,
  available: (points: string) => `còn ${points}`,
  rankUp: (n: number) => `tăng ${n} bậc`,
  rankDown: (n: number) => `giảm ${n} bậc`,
  rankSame: 'giữ nguyên',
};

export type Messages = typeof vi;

const en: Messages = {
  appName: 'SIPAS console',
  otherLanguage: 'Tiếng Việt',
  skipToContent: 'Skip to the main content',
  mainNav: 'Main navigation',
  navOrganisation: 'Organisation',
  navCampaigns: 'Campaigns',
  navScorecard: 'PAR scorecard',
  navAudit: 'Audit log',
  quarantineTitle: 'Quarantine',
  quarantineIntro:
    'Suspect survey answers are stored quarantined and not scored. Review them and release the genuine ones, with a note saying why.',
  noQuarantined: 'No quarantined responses.',
  byReason: 'By reason',
  byCounter: 'By counter',
  quarantineShown: (from: number, to: number, total: number) =>
    `Responses ${from}–${to} of ${total} quarantined, oldest first.`,
  nextPage: 'Next page',
  firstPage: 'First page',
  reason: 'Reason',
  reasonName: (reason: string | null): string =>
    reason === null
      ? '—'
      : ({
          honeypot: 'hidden field filled in (a bot)',
          'too-fast': 'answered too fast',
          'outside-period': "outside the campaign's period",
          'rate-limit': 'too many submissions',
          unverifiable: 'missing what the checks need',
          'revoked-token': 'sent with a QR code replaced long before',
        }[reason] ?? reason),
  count: 'Responses',
  receivedAt: 'Received',
  submittedAt: 'Submitted',
  select: 'Select',
  selectRow: (id: string) => `Select response ${id}`,
  releaseNote: 'Note (why they are genuine)',
  release: (n: number) => `Release ${n} selected`,
  released: (n: number) => `Released ${n}; the scores now count them.`,
  auditTitle: 'Audit log',
  auditIntro: 'Who did what, when: every change by staff, newest first.',
  auditUnit: 'Unit (and the units under it)',
  auditActor: 'Actor (cli or account:ID)',
  auditAction: 'Action',
  anyAction: '(any action)',
  fromDay: 'From',
  toDay: 'To',
  applyFilters: 'Filter',
  at: 'When',
  actor: 'Who',
  subject: 'Subject',
  detail: 'Detail',
  noEntries: 'No entries.',
  olderEntries: 'Older',

  roleName: {
    admin: 'administrator',
    surveyor: 'survey unit',
    analyst: 'analyst',
    appraiser: 'appraiser',
    unit: 'appraised unit',
  },
  signOut: 'Sign out',
  signedOut: 'Signed out.',
  sessionExpired: 'The session has ended. Please sign in again.',
  loading: 'Loading…',
  pageMissing: 'No such page',
  roleCannot: (role: string) => `The ${role} role does not use this page.`,
  errorTitle: 'That did not work.',
  errorForbidden: 'This account may not do that (outside its role or its units).',
  errorNotFound: 'Not found.',
  errorNetwork: 'The server could not be reached.',

  signInTitle: 'Sign in',
  loginLabel: 'Login',
  passwordLabel: 'Password',
  signIn: 'Sign in',
  singleSignOn: 'Sign in with single sign-on',
  signInRefused: 'Wrong login or password.',
  navAccounts: 'Accounts & tokens',
  navPassword: 'Change password',
  setupTitle: 'Create the first admin account',
  setupHelp: 'The setup link works once, within an hour of the server starting.',
  setupMissing: 'The link has no setup token. Open the link the server printed when it started.',
  setupSubmit: 'Create and sign in',
  nameLabel: 'Full name',
  newPasswordLabel: 'New password',
  passwordHelp: 'At least 10 characters.',
  currentPasswordLabel: 'Current password',
  passwordTitle: 'Change password',
  passwordChanged: 'Password changed.',
  passwordChange: 'Change password',
  accountsTitle: 'Accounts & tokens',
  accountsList: 'Staff accounts',
  accountLogin: 'Login',
  accountName: 'Name',
  accountRole: 'Role',
  accountUnit: 'Unit',
  accountState: 'State',
  accountActive: 'active',
  accountDisabled: 'disabled',
  accountActions: 'Actions',
  allUnits: '(whole province)',
  newAccount: 'New account',
  createAccount: 'Create account',
  accountCreated: (login: string) => `Account ${login} created.`,
  disableAccount: 'Disable',
  enableAccount: 'Enable',
  accountDisabledDone: (login: string) => `Account ${login} disabled.`,
  accountEnabledDone: (login: string) => `Account ${login} enabled.`,
  resetPassword: 'Reset password',
  setPassword: 'Set password',
  accountPasswordHelp:
    'At least 10 characters. Leave empty for an account that signs in by single sign-on only ' +
    '(a password can be set later).',
  accountSingleSignOnOnly: 'single sign-on only',
  resetFor: (login: string) => `New password for ${login}`,
  passwordReset: (login: string) => `Password of ${login} reset.`,
  tokensList: 'API tokens',
  tokenPrefix: 'Prefix',
  tokenName: 'Name',
  tokenOwner: 'Created by',
  tokenCreated: 'Created',
  tokenLastUsed: 'Last used',
  tokenRevokedAt: 'Revoked',
  never: '–',
  commandLine: '(command line)',
  newApiToken: 'New API token',
  createApiToken: 'Create token',
  apiTokenShown: 'The new token (shown this once: copy it now; the server keeps only its hash):',
  revokeApiToken: 'Revoke',
  apiTokenRevoked: (prefix: string) => `Token ${prefix} revoked.`,
  noUnit: '(none)',

  code: 'Code',
  name: 'Name',
  unit: 'Unit',
  units: 'Units',
  counter: 'Counter',
  counters: 'Counters',
  actions: 'Actions',
  save: 'Save',
  cancel: 'Cancel',
  close: 'Close',
  edit: 'Edit',
  total: 'Total',
  codeHelp: `1 to ${CODE_MAX} characters: letters without accents, digits, dots, hyphens or underscores.`,

  organisationTitle: 'Organisation: units and counters',
  scopeNote: (unit: string) => `Within unit ${unit} and the units under it.`,
  unitTree: 'Unit tree',
  noUnits: 'No units yet.',
  noCounters: 'No counters yet.',
  counterCount: (n: number) => `${n} ${n === 1 ? 'counter' : 'counters'}`,
  countersOf: (unit: string) => `Counters of ${unit}`,
  renameMoveUnit: 'Rename or move the unit',
  parentUnit: 'Parent unit',
  noParent: '(none: a root unit)',
  scopeRootFixed: "The root of this account's units: it cannot be moved.",
  addRootUnit: 'Add a root unit',
  addSubUnit: (parent: string) => `Add a unit under ${parent}`,
  addUnit: 'Add unit',
  unitCreated: (code: string) => `Unit ${code} added.`,
  unitSaved: (code: string) => `Unit ${code} saved.`,
  addCounterTo: (unit: string) => `Add a counter to ${unit}`,
  counterCode: 'Counter code',
  counterName: 'Counter name',
  addCounter: 'Add counter',
  counterCreated: (code: string) => `Counter ${code} added.`,
  counterSaved: (code: string) => `Counter ${code} saved.`,
  qrCode: 'QR code',
  qrActive: 'In use',
  qrNone: 'None',
  issueToken: 'Issue a new QR code',
  revokeToken: 'Revoke the QR code',
  editLabel: (counter: string) => `Edit counter ${counter}`,
  issueLabel: (counter: string) => `Issue a new QR code for counter ${counter}`,
  revokeLabel: (counter: string) => `Revoke the QR code of counter ${counter}`,
  confirmIssue: (counter: string) =>
    `Issue a new code for counter ${counter}? The QR code posted at the counter, if any, stops working.`,
  confirmIssueButton: 'Issue a new code',
  confirmRevoke: (counter: string) =>
    `Revoke the QR code of counter ${counter}? Citizens scanning it will see the survey closed.`,
  confirmRevokeButton: 'Revoke',
  tokenIssued: (counter: string) => `New QR code issued for counter ${counter}.`,
  tokenRevoked: (counter: string) => `QR code of counter ${counter} revoked.`,
  issuedTitle: (counter: string) => `New QR code of counter ${counter}`,
  issuedHelp: 'The survey link is shown only once: print or save it now.',
  shortCodeHelp: (address: string) =>
    `The counter code, printed under the QR code for whoever cannot scan it (typed at ${address}):`,
  kioskHelp:
    'A tablet at the counter (kiosk mode): open this address; after each response, and after 60 s unused, it goes back to the start.',
  qrAlt: (counter: string) => `Survey QR code of counter ${counter}`,
  qrSheetTitle: 'Printable QR sheet',
  qrSheetHelp:
    "An A4 sheet for the unit: one card per counter with the counter's name, the unit, the QR code and instructions. Printing it issues new codes for every counter of the unit.",
  qrSheetButton: 'Print the QR sheet…',
  confirmQrSheet: (unit: string, n: number) =>
    `Issue new codes for the ${n} counters of ${unit} and open the sheet? Their old QR codes stop working.`,
  printQrSheet: 'Issue codes and open the sheet',
  qrSheetOpened: 'The QR sheet opened in a new tab.',

  campaignsTitle: 'Campaigns',
  noCampaigns: 'No campaigns yet.',
  instrument: 'Instrument',
  period: 'Period',
  state: 'State',
  campaignState: { upcoming: 'upcoming', open: 'open', closed: 'closed' },
  periodText: (from: string, to: string) => `${from} to ${to}`,
  progress: 'Progress',
  paperEntry: 'Paper forms',
  importFile: 'Import a file',
  scores: 'Scores',
  createCampaign: 'Create a campaign',
  from: 'From',
  to: 'To',
  design: 'Sample design',
  designName: { srs: 'simple random sample (srs)', stratified: 'stratified by counter' },
  countersAndTargets: 'Counters and sample targets',
  inCampaign: 'Counter',
  target: 'Target',
  targetFor: (counter: string) => `Sample target of counter ${counter}`,
  campaignCreated: (code: string) => `Campaign ${code} created.`,

  campaignNav: 'In this campaign',
  progressTable: 'Progress by counter',
  progressCaption: 'Valid responses per counter against target and transactions',
  responses: 'Valid responses',
  againstTarget: 'Reached of target',
  plannedSample: 'Sample needed',
  transactions: 'Transactions',
  responseRate: 'Response rate (%)',
  quarantined: 'Quarantined',
  byMode: 'By mode',
  modeName: (mode: string) => (isMode(mode) ? modeNamesEn[mode] : mode),
  refreshedAuto: (time: string, seconds: number) =>
    `Updated at ${time}; refreshed every ${seconds} seconds while the campaign is open.`,
  refreshedAt: (time: string) => `Updated at ${time}.`,
  refreshNow: 'Refresh now',
  transactionsTitle: 'Transactions in the campaign',
  transactionsHelp:
    "Procedures completed at each counter in the campaign's period: for response rates and the stratified design.",
  saveTransactions: 'Save transactions',
  transactionsFile: 'Or import a transactions file (CSV or XLSX)',
  transactionsFileHelp: 'Two columns: counter, transactions.',
  importTransactions: 'Import transactions',
  transactionsSaved: 'Transactions saved.',
  transactionsFor: (counter: string) => `Transactions at counter ${counter}`,

  editCampaign: 'Edit the campaign',
  editTitle: (code: string) => `Edit campaign ${code}`,
  periodTitle: 'Name and period',
  periodHelp:
    'The period may grow where its counters are in no other campaign in the added days, and shrink where it leaves out no stored response.',
  saveCampaign: 'Save name and period',
  campaignSaved: 'Campaign saved.',
  targetsHelp:
    'Leave a target empty to clear it. Only a counter without any response (voided or quarantined ones included) can be removed.',
  saveTargets: 'Save targets',
  targetsSaved: 'Targets saved.',
  removeCounter: (counter: string) => `Remove counter ${counter}`,
  counterRemoved: (counter: string) => `Counter ${counter} removed.`,
  addCounterTitle: 'Add a counter to the campaign',
  counterToAdd: 'Counter to add',
  counterAdded: (counter: string) => `Counter ${counter} added.`,
  noCounterToAdd: 'Every counter is in this campaign already.',

  entryTitle: 'Paper forms',
  backToCampaign: 'Back to the campaign',
  entryKeys:
    'Keyboard only: on each item, keys 1–9 pick the option at that position and move to the next item; 0 leaves it blank and moves on; Backspace clears it; Enter stores the form. Multi-choice items: digits switch each option on or off, Tab moves on.',
  formDetails: 'The form',
  formDate: 'Date answered',
  mode: 'Mode',
  formNumber: 'Form number',
  formNumberHelp:
    'Optional. It goes up by one after each form; a number can be stored once per campaign.',
  skippedBecause: (item: string) => `(skipped: asked only when ${item} = yes)`,
  chooseMany: '(several allowed)',
  noSuchOption: (digit: number, item: string) => `Item ${item} has no option ${digit}.`,
  nothingAnswered: 'The form has no answers yet.',
  stillSaving: 'Still storing the previous form: press that key again once it is stored.',
  storeForm: 'Store the form (Enter)',
  answeredOf: (answered: number, asked: number) => `${answered} of ${asked} items answered`,
  formStored: (form: string, answered: number, session: number) =>
    `Stored${form ? ` form ${form}` : ' the form'} (${answered} answers). Form ${session} of this session.`,
  correctTitle: 'Void a mis-keyed form',
  correctHelp:
    'Find a form by its number; a voided form stays stored and in the audit log, out of the scores.',
  findForm: 'Find the form',
  noSuchForm: (form: string) => `No form ${form} in this campaign.`,
  formStatus: (status: string) =>
    ({ valid: 'counted', quarantined: 'quarantined', voided: 'voided', replaced: 'replaced' })[
      status
    ] ?? status,
  voidReason: 'Reason for voiding',
  voidForm: 'Void the form',
  formVoided: (form: string) => `Form ${form} voided.`,
  notCorrectable: "Cannot be voided: a citizen's survey answer can only be quarantined.",
  replaceForm: 'Replace with a corrected copy',
  replaceTitle: (form: string) => `Corrected copy of form ${form}`,
  replaceHelp:
    'Key in every answer of the paper form again (none is carried over); the original stays in the audit log, out of the scores.',
  replaceReason: 'Reason for replacing',
  storeReplacement: 'Store the corrected copy',
  formReplaced: (form: string) => `Form ${form} replaced by its corrected copy.`,
  formRefused: 'The form was not stored.',
  storedThisSession: (n: number) => `Stored in this session: ${n} ${n === 1 ? 'form' : 'forms'}`,
  answersCount: (n: number) => `${n} answers`,

  importTitle: 'Import responses',
  importHelp:
    'A CSV or XLSX file in the standard layout (one response a row: response_id, counter, submitted_at, mode, service_area and one column per item). The file is checked first and stored only when every row is valid.',
  responsesFile: 'Responses file (CSV or XLSX)',
  ignoreUnknown: 'Ignore columns outside the layout',
  checkFile: 'Check the file (store nothing)',
  importProblems: 'Problems in the file',
  line: 'Line',
  column: 'Column',
  problem: 'Problem',
  importRefused: (n: number) => `The file has ${n} ${n === 1 ? 'problem' : 'problems'}`,
  nothingStored: 'Nothing was stored.',
  importChecked: (n: string) => `The file is valid: ${n} responses would be stored`,
  importStored: (n: string) => `${n} responses stored`,
  duplicatesSkipped: (n: number) =>
    `${n} responses already in the campaign (same form number) are skipped:`,
  nothingStoredYet: 'Nothing stored yet: this was the check.',
  storeRows: (n: string) => `Store ${n} responses`,

  scoresTitle: (name: string) => `Scores: ${name}`,
  groupShown: 'Group shown',
  wholeCampaign: 'Whole campaign',
  noResponses: 'No valid responses yet.',
  sipasOf: (group: string) => `SIPAS: ${group}`,
  interval95: '95% interval',
  se: 'Standard error',
  respondents: 'Respondents',
  noTransactions: 'no transaction counts',
  factorsTitle: 'The five factors',
  axisPercent: 'Index (%); the whisker is the 95% interval',
  block: 'Block',
  itemsTitle: 'Items',
  criterion: 'Item',
  valid: 'Valid',
  satisfied: 'Satisfied',
  index: 'Index (%)',
  flags: 'Notes',
  flagName: (flag: string, rules: Rules): string =>
    flag === 'small-sample'
      ? `small sample (under ${rules.adequacy?.minRespondents ?? 30})`
      : flag === 'wide-interval'
        ? `wide interval (over ${rules.adequacy?.maxIntervalWidth ?? 10} points)`
        : flag === 'lonely-stratum'
          ? 'a counter with 1 response'
          : flag === 'reorganised'
            ? 'reorganised, coverage below the threshold'
            : flag,
  rankCounters: 'Counters ranked',
  rankUnits: 'Units ranked',
  rankFlagged: 'Rank flagged groups too (small sample, wide interval)',
  peersOf: (parent: string) => `Units under ${parent}`,
  rank: 'Rank',
  group: 'Group',
  tied: '(tied)',
  notRanked: 'not ranked',
  compareTitle: 'Compared with another campaign',
  compareWith: 'Compare with',
  chooseCampaign: '(choose a campaign)',
  noComparableGroup: 'This group is not in the chosen campaign.',
  compareCaption: (a: string, b: string, na: number, nb: number) =>
    `${a} (${na} respondents) against ${b} (${nb} respondents)`,
  change: 'Change',
  changeInterval: '95% interval of the change',
  significance: 'Significance',
  significant: 'significant',
  notSignificant: 'not significant',
  notTestable: 'cannot be tested',
  coverage: (percent: string) =>
    `Coverage ${percent}%: the later campaign's respondents at counters with responses in the earlier one.`,
  exportsTitle: 'Downloads',
  templateCsv: 'Download the CSV template',
  templateXlsx: 'Download the XLSX template',
  templatesHelp:
    'A template has exactly the columns to import and one example row that imports as it is: replace the example with your own rows. A CSV file separated by semicolons (;), as Excel saves it in a Vietnamese locale, is accepted too.',
  exportScoresCsv: 'Scores by counter (CSV)',
  exportScoresXlsx: 'Scores by counter (XLSX)',
  exportResponsesCsv: 'Responses (CSV)',
  exportResponsesXlsx: 'Responses (XLSX)',
  exportScorecardCsv: 'Scorecard (CSV)',
  exportScorecardXlsx: 'Scorecard (XLSX)',
  downloaded: (name: string) => `${name} downloaded.`,
  campaignDesign: (design: string) => `the campaign's: ${design}`,

  ruleLabel: 'Rule:',
  rule: {
    item: (rules: Rules): string =>
      rules.score === 'mean'
        ? 'item index = (mean answer − 1) / 4 × 100.'
        : `item index = 100 × answers ${satisfiedSet(rules)} / valid answers (1–5)${rules.blanks === 'exclude' ? ', blanks left out' : ', blanks count as not satisfied'}.`,
    itemInterval: (rules: Rules): string =>
      rules.design === 'srs'
        ? 'Wilson 95% interval; standard error of a simple random sample.'
        : '95% interval = index ± 1.96 × standard error (stratified by counter), within 0–100.',
    factor: (rules: Rules): string =>
      rules.factor === 'meanOfItems'
        ? "factor index = mean of the factor's item indices."
        : rules.factor === 'pooled'
          ? "factor index = all answers to the factor's items pooled."
          : "factor index = the index of the factor's overall question.",
    sipas: (rules: Rules): string =>
      rules.sipas === 'meanOfFactors'
        ? 'SIPAS = mean of the factor indices.'
        : rules.sipas === 'pooled'
          ? 'SIPAS = all answers to the items pooled.'
          : 'SIPAS = the index of the overall question (HL).',
    normalInterval: '95% interval = index ± 1.96 × standard error (Taylor linearization).',
    responseRate:
      'Response rate = 100 × respondents at counters with a count / their transactions.',
    design: (rules: Rules): string =>
      rules.design === 'srs'
        ? 'Design: simple random sample.'
        : 'Design: stratified by counter, each response weighing transactions / responses of its counter.',
    above: (rules: Rules): string =>
      rules.above === 'pooled'
        ? 'Units: the responses of every counter below pooled.'
        : 'Units: the mean of their child units.',
    ranking:
      'Ranked by SIPAS; equal at 2 decimals share a rank and the next rank skips (1, 2, 2, 4); flagged groups are not ranked unless asked.',
    change:
      'change = this campaign − the other; standard error of two independent samples; significant when the 95% interval of the change excludes 0.',
    progress:
      'response rate = 100 × valid responses / transactions; sample needed n = N / (1 + N × 0.05²) for N transactions; reached = 100 × responses / target (without a target, / sample needed). Quarantined responses are not scored.',
    scorecard:
      'total = sum of component points (a missing component counts 0); equal totals (rounded to 3 decimals) share a rank and the next rank skips; change on the previous period; target = the total of the K-th unit; gap = target − total (0 when reached); available = maximum − points.',
  },

  scorecardTitle: 'PAR Index scorecard',
  framework: 'Framework',
  periodLabel: 'Period',
  peersUnit: 'Compare the units under',
  chooseUnit: '(choose a unit)',
  topK: 'Target: top group (K)',
  showScorecard: 'Show the scorecard',
  scorecardOf: (framework: string, period: string) => `Scorecard ${framework}, period ${period}`,
  scorecardSummary: (peers: string, period: string, previous: string | null) =>
    `Units under ${peers}, period ${period}${previous ? `, against ${previous}` : ', no previous period'}.`,
  targetSummary: (top: number, target: string) => `Target for the top ${top}: ${target} points.`,
  rankChange: 'Rank change',
  previousFrom: (codes: string) => `previous from ${codes}`,
  noPoints: (peers: string, period: string) => `No unit under ${peers} has points in ${period}.`,
  gapToTarget: 'Gap to target',
  componentName: (code: string) =>
    ({ appraisal: 'Appraisal', sipas: 'SIPAS', leaders: 'Leaders’ survey' })[code] ?? code,
  pointsOf: (points: string, max: string) => `${points} / ${max}`,
  rankShort: (rank: number) => `rank ${rank}`,
  available: (points: string) => `${points} available`,
  rankUp: (n: number) => `up ${n}`,
  rankDown: (n: number) => `down ${n}`,
  rankSame: 'unchanged',
};

export const messages: Record<Lang, Messages> = { vi, en };
