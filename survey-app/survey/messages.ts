// Every word of the page that is not the instrument's own, in both languages.
import type { Lang } from './payload.ts';

const vi = {
  title: 'Khảo sát sự hài lòng về sự phục vụ hành chính',
  otherLanguage: 'English',
  consent:
    'Khảo sát ẩn danh: không hỏi tên, số điện thoại hay số giấy tờ. Ý kiến của Ông/Bà chỉ dùng để cải thiện chất lượng phục vụ. Mất khoảng 3 phút.',
  start: 'Bắt đầu',
  resume: 'Tiếp tục khảo sát',
  back: 'Quay lại',
  next: 'Tiếp theo',
  send: 'Gửi ý kiến',
  progress: (page: number, pages: number) => `Phần ${page} trên ${pages}`,
  overall: 'Đánh giá chung',
  profile: 'Thông tin về Ông/Bà',
  optional: '(không bắt buộc)',
  chooseAny: 'Có thể chọn nhiều ý.',
  notApplicable: 'Không có ý kiến',
  unanswered: 'Xin Ông/Bà trả lời câu hỏi này.',
  unansweredSummary: (n: number) =>
    `Còn ${n} câu chưa trả lời. Xin Ông/Bà trả lời trước khi tiếp tục.`,
  sending: 'Đang gửi ý kiến…',
  savedOffline:
    'Chưa gửi được vì mất kết nối. Câu trả lời đã được lưu trên điện thoại và sẽ tự động gửi khi có mạng, kể cả khi Ông/Bà mở lại trang này sau.',
  savedServer:
    'Máy chủ đang bận. Câu trả lời đã được lưu trên điện thoại và sẽ tự động gửi lại, kể cả khi Ông/Bà mở lại trang này sau.',
  retryNow: 'Gửi lại ngay',
  thanks: 'Cảm ơn Ông/Bà!',
  thanksDetail: 'Ý kiến của Ông/Bà đã được ghi nhận.',
  kioskNext: 'Màn hình sẽ trở về trang đầu cho người tiếp theo.',
  kioskQueued:
    'Chưa gửi được ngay. Câu trả lời đã được lưu trên máy này và sẽ tự động gửi khi có mạng.',
  kioskKept: 'Câu trả lời vẫn được giữ lại trên máy này. Xin báo cán bộ tại quầy.',
  kioskSetAside: (n: number) =>
    `${n} câu trả lời trên máy này bị máy chủ từ chối và đang được giữ lại trên máy. Xin báo cán bộ tại quầy.`,
  kioskRestart: 'Người tiếp theo',
  refusedTitle: 'Không gửi được ý kiến',
  closedTitle: 'Không mở được khảo sát',
  unknownLink: 'Đường dẫn khảo sát không đúng. Xin quét lại mã QR tại quầy.',
  closed: 'Khảo sát tại quầy này đã đóng hoặc mã QR đã được thay.',
  refused: 'Máy chủ từ chối câu trả lời này và sẽ không nhận lại nó.',
  broken: 'Trang khảo sát bị lỗi. Xin tải lại trang.',
  tooMany: 'Có quá nhiều lượt mở khảo sát từ mạng này. Xin đợi một phút rồi tải lại trang.',
  honeypot: 'Trang web (để trống)',
};

export type Messages = typeof vi;

const en: Messages = {
  title: 'Satisfaction with administrative services',
  otherLanguage: 'Tiếng Việt',
  consent:
    'This survey is anonymous: it asks for no name, phone number or ID. Your answers are used only to improve the service. It takes about 3 minutes.',
  start: 'Start',
  resume: 'Continue the survey',
  back: 'Back',
  next: 'Next',
  send: 'Send',
  progress: (page, pages) => `Part ${page} of ${pages}`,
  overall: 'Overall',
  profile: 'About you',
  optional: '(optional)',
  chooseAny: 'You may choose several.',
  notApplicable: 'No opinion / not applicable',
  unanswered: 'Please answer this question.',
  unansweredSummary: (n) =>
    `${n} ${n === 1 ? 'question is' : 'questions are'} not answered yet. Please answer before going on.`,
  sending: 'Sending your answers…',
  savedOffline:
    'Not sent yet: there is no connection. Your answers are saved on this phone and will be sent automatically when the connection is back, even if you open this page again later.',
  savedServer:
    'The server is busy. Your answers are saved on this phone and will be sent again automatically, even if you open this page again later.',
  retryNow: 'Send now',
  thanks: 'Thank you!',
  thanksDetail: 'Your answers have been received.',
  kioskNext: 'The screen will go back to the start for the next person.',
  kioskQueued:
    'Not sent yet. Your answers are saved on this tablet and will be sent automatically when the connection is back.',
  kioskKept: 'Your answers are kept on this tablet. Please tell the staff at the counter.',
  kioskSetAside: (n) =>
    `${n} ${n === 1 ? 'answer' : 'answers'} on this tablet ${n === 1 ? 'was' : 'were'} refused by the server and ${n === 1 ? 'is' : 'are'} kept on it. Please tell the staff at the counter.`,
  kioskRestart: 'Next person',
  refusedTitle: 'Your answers could not be sent',
  closedTitle: 'The survey cannot be opened',
  unknownLink: 'This survey link is not valid. Please scan the QR code at the counter again.',
  closed: 'The survey at this counter is closed, or its QR code has been replaced.',
  refused: 'The server refused these answers and will not accept them again.',
  broken: 'The survey page is broken. Please reload it.',
  tooMany: 'Too many surveys were opened from this network. Please wait a minute and reload.',
  honeypot: 'Website (leave empty)',
};

export const messages: Record<Lang, Messages> = { vi, en };
