// Every word of the officials' page that is not the instrument's own, in both languages.
import type { Lang } from '../survey/payload.ts';

const vi = {
  title: 'Phiếu điều tra cán bộ, công chức',
  otherLanguage: 'English',
  group: (unit: string, group: string) => `${unit} · ${group}`,
  closesOn: (day: string) => `Hạn trả lời: ${day}`,
  anonymous:
    'Phiếu ẩn danh: câu trả lời chỉ được lưu theo nhóm, không gắn với đường dẫn hay tên của Ông/Bà. Mỗi đường dẫn chỉ trả lời được một lần.',
  requiredNote: 'Câu có dấu * là bắt buộc. Xin trả lời tất cả các câu.',
  required: '(bắt buộc)',
  progress: (n: number, total: number) => `Đã trả lời ${n}/${total} câu`,
  unanswered: 'Xin chọn một câu trả lời.',
  unansweredSummary: (n: number) => `Còn ${n} câu chưa trả lời.`,
  send: 'Gửi câu trả lời',
  sending: 'Đang gửi câu trả lời…',
  savedOffline:
    'Chưa gửi được vì mất kết nối. Câu trả lời đã được lưu trên điện thoại và sẽ tự động gửi khi có mạng.',
  savedServer: 'Máy chủ đang bận. Câu trả lời đã được lưu trên điện thoại và sẽ tự động gửi lại.',
  retryNow: 'Gửi lại ngay',
  thanks: 'Cảm ơn Ông/Bà!',
  thanksDetail: 'Câu trả lời của Ông/Bà đã được ghi nhận.',
  usedTitle: 'Đường dẫn đã được dùng',
  used: 'Đường dẫn này đã được dùng để trả lời. Mỗi đường dẫn chỉ trả lời được một lần.',
  revokedTitle: 'Đường dẫn đã bị thu hồi',
  revoked: 'Xin liên hệ đơn vị gửi thư mời để nhận đường dẫn mới.',
  closedTitle: 'Cuộc điều tra đã kết thúc',
  closed: 'Cuộc điều tra không còn nhận câu trả lời.',
  notOpenTitle: 'Cuộc điều tra chưa bắt đầu',
  notOpen: 'Xin mở lại đường dẫn này khi cuộc điều tra bắt đầu.',
  unknownTitle: 'Không tìm thấy đường dẫn',
  unknown: 'Xin kiểm tra lại đường dẫn trong thư mời.',
  goneTitle: 'Đường dẫn không còn nhận câu trả lời',
  refusedTitle: 'Không gửi được câu trả lời',
  refused: 'Máy chủ từ chối câu trả lời này.',
  broken: 'Trang bị lỗi. Xin tải lại trang.',
};

export type Messages = typeof vi;

const en: Messages = {
  title: "Officials' survey",
  otherLanguage: 'Tiếng Việt',
  group: (unit, group) => `${unit} · ${group}`,
  closesOn: (day) => `Answers until ${day}`,
  anonymous:
    'This survey is anonymous: answers are kept by group only, tied neither to your link nor to your name. Each link answers once.',
  requiredNote: 'Questions marked * are required. Please answer them all.',
  required: '(required)',
  progress: (n, total) => `${n} of ${total} answered`,
  unanswered: 'Please choose an answer.',
  unansweredSummary: (n) => `${n} ${n === 1 ? 'question is' : 'questions are'} not answered yet.`,
  send: 'Send my answers',
  sending: 'Sending your answers…',
  savedOffline:
    'Not sent yet: there is no connection. Your answers are saved on this phone and will be sent when the connection is back.',
  savedServer:
    'The server is busy. Your answers are saved on this phone and will be sent again automatically.',
  retryNow: 'Send now',
  thanks: 'Thank you!',
  thanksDetail: 'Your answers have been received.',
  usedTitle: 'This link has been used',
  used: 'This link has already been used to answer. Each link answers once.',
  revokedTitle: 'This link was revoked',
  revoked: 'Please ask whoever invited you for a new link.',
  closedTitle: 'The survey is closed',
  closed: 'The survey takes no more answers.',
  notOpenTitle: 'The survey has not started',
  notOpen: 'Please open this link again once the survey has started.',
  unknownTitle: 'Link not found',
  unknown: 'Please check the link in your invitation.',
  goneTitle: 'This link takes no answers',
  refusedTitle: 'Your answers could not be sent',
  refused: 'The server refused these answers.',
  broken: 'The page is broken. Please reload it.',
};

export const messages: Record<Lang, Messages> = { vi, en };
