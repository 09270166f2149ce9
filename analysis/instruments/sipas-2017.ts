// sipas-2017: five factors, 22 criteria (method of 2640/QĐ-BNV), spec §4.2. The official
// annex wording was not available; this is the project's own rendering of it.
import type { InstrumentInput } from '../instrument.ts';
import { age, education, occupation, sat5, sex, yesno } from './scales.ts';

type ItemInput = InstrumentInput['items'][number];

const criterion = (code: string, factor: string, vi: string, en: string): ItemInput => ({
  code,
  factor,
  scale: 'sat5',
  text: { vi, en },
});
const afterFeedback = { item: 'PAQ', equals: 1 };

/** MD: what to improve first, one option per factor. */
const improve5: InstrumentInput['scales'][number] = {
  code: 'improve5',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Tiếp cận dịch vụ', en: 'Access to the service' } },
    { value: 2, label: { vi: 'Thủ tục hành chính', en: 'Administrative procedure' } },
    { value: 3, label: { vi: 'Công chức giải quyết công việc', en: 'The civil servant' } },
    { value: 4, label: { vi: 'Kết quả giải quyết công việc', en: 'The result' } },
    { value: 5, label: { vi: 'Tiếp nhận, xử lý góp ý', en: 'Feedback handling' } },
  ],
};

export const sipas2017: InstrumentInput = {
  code: 'sipas-2017',
  name: {
    vi: 'Khảo sát sự hài lòng về sự phục vụ hành chính (22 tiêu chí)',
    en: 'Satisfaction with administrative services (22 criteria)',
  },
  scales: [sat5, yesno, improve5, sex, age, education, occupation],
  factors: [
    { code: 'TC', name: { vi: 'Tiếp cận dịch vụ', en: 'Access to the service' } },
    { code: 'TT', name: { vi: 'Thủ tục hành chính', en: 'Administrative procedure' } },
    {
      code: 'CC',
      name: { vi: 'Công chức trực tiếp giải quyết công việc', en: 'The civil servant' },
    },
    { code: 'KQ', name: { vi: 'Kết quả giải quyết công việc', en: 'The result' } },
    {
      code: 'PA',
      name: { vi: 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', en: 'Feedback handling' },
    },
  ],
  items: [
    criterion('TC1', 'TC', 'Nơi ngồi chờ có đủ chỗ ngồi', 'The waiting area has enough seats'),
    criterion(
      'TC2',
      'TC',
      'Trang thiết bị phục vụ người dân, tổ chức đầy đủ',
      'Equipment for visitors is sufficient',
    ),
    criterion(
      'TC3',
      'TC',
      'Trang thiết bị phục vụ người dân, tổ chức hiện đại',
      'Equipment for visitors is modern',
    ),
    criterion(
      'TC4',
      'TC',
      'Trang thiết bị phục vụ người dân, tổ chức dễ sử dụng',
      'Equipment for visitors is easy to use',
    ),
    criterion(
      'TT1',
      'TT',
      'Thủ tục hành chính được niêm yết công khai đầy đủ',
      'The procedure is posted publicly in full',
    ),
    criterion(
      'TT2',
      'TT',
      'Thủ tục hành chính được niêm yết công khai chính xác',
      'The procedure is posted publicly and accurately',
    ),
    criterion(
      'TT3',
      'TT',
      'Thành phần hồ sơ phải nộp là đúng quy định',
      'The documents required were as regulated',
    ),
    criterion(
      'TT4',
      'TT',
      'Phí, lệ phí phải nộp là đúng quy định',
      'The fees paid were as regulated',
    ),
    criterion(
      'TT5',
      'TT',
      'Thời hạn giải quyết là đúng quy định',
      'The processing time was as regulated',
    ),
    criterion(
      'CC1',
      'CC',
      'Công chức có thái độ giao tiếp lịch sự',
      'The civil servant was polite',
    ),
    criterion(
      'CC2',
      'CC',
      'Công chức chú ý lắng nghe ý kiến của Ông/Bà',
      'The civil servant listened attentively',
    ),
    criterion(
      'CC3',
      'CC',
      'Công chức trả lời, giải thích đầy đủ các ý kiến của Ông/Bà',
      'The civil servant answered and explained fully',
    ),
    criterion(
      'CC4',
      'CC',
      'Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo',
      'The civil servant guided you through the forms attentively',
    ),
    criterion(
      'CC5',
      'CC',
      'Công chức hướng dẫn kê khai hồ sơ dễ hiểu',
      'The civil servant explained the forms clearly',
    ),
    criterion(
      'CC6',
      'CC',
      'Công chức tuân thủ đúng quy định trong giải quyết công việc',
      'The civil servant followed the regulations',
    ),
    criterion(
      'KQ1',
      'KQ',
      'Kết quả Ông/Bà nhận được đúng quy định',
      'The result you received was as regulated',
    ),
    criterion(
      'KQ2',
      'KQ',
      'Kết quả Ông/Bà nhận được có thông tin đầy đủ',
      'The result has complete information',
    ),
    criterion(
      'KQ3',
      'KQ',
      'Kết quả Ông/Bà nhận được có thông tin chính xác',
      'The result has accurate information',
    ),
    criterion(
      'PA1',
      'PA',
      'Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị',
      'The agency provides ways to give feedback',
    ),
    {
      code: 'PAQ',
      scale: 'yesno',
      text: {
        vi: 'Ông/Bà có thực hiện góp ý, phản ánh, kiến nghị không?',
        en: 'Did you give feedback, comments or petitions?',
      },
    },
    {
      ...criterion(
        'PA2',
        'PA',
        'Ông/Bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị',
        'Giving feedback was easy',
      ),
      askIf: afterFeedback,
    },
    {
      ...criterion(
        'PA3',
        'PA',
        'Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị',
        'The agency handled feedback actively',
      ),
      askIf: afterFeedback,
    },
    {
      ...criterion(
        'PA4',
        'PA',
        'Cơ quan thông báo kịp thời kết quả xử lý góp ý, phản ánh, kiến nghị',
        'The agency reported the outcome promptly',
      ),
      askIf: afterFeedback,
    },
    {
      code: 'HL',
      scale: 'sat5',
      text: {
        vi: 'Nhìn chung, Ông/Bà hài lòng với sự phục vụ của cơ quan',
        en: 'Overall, you are satisfied with how the agency served you',
      },
    },
    {
      code: 'MD',
      scale: 'improve5',
      multiple: true,
      text: {
        vi: 'Theo Ông/Bà, cơ quan cần ưu tiên cải thiện điều gì trước?',
        en: 'What should be improved first?',
      },
    },
    { code: 'SEX', scale: 'sex', text: { vi: 'Giới tính', en: 'Sex' } },
    { code: 'AGE', scale: 'age', text: { vi: 'Độ tuổi', en: 'Age' } },
    { code: 'EDU', scale: 'education', text: { vi: 'Trình độ học vấn', en: 'Education' } },
    { code: 'JOB', scale: 'occupation', text: { vi: 'Nghề nghiệp', en: 'Occupation' } },
  ],
  overallItem: 'HL',
};
