// sipas-2023: the household survey of 1001/QĐ-BNV, spec §4.3. Satisfaction items in two
// blocks: CS (policy; sub-factors CSA, CSB, CSC, CSD) and DV (administrative services; the
// five factors of sipas-2017). The official annex wording was not available; this text, and
// every code and option code of the assessment, experience and priority items, is the
// project's own.
import type { InstrumentInput } from '../instrument.ts';
import {
  age,
  education,
  interest3,
  occupation,
  priority3,
  sat5,
  sex,
  text,
  yesno,
} from './scales.ts';

type ItemInput = InstrumentInput['items'][number];
type ScaleInput = InstrumentInput['scales'][number];

const criterion = (code: string, factor: string, vi: string, en: string): ItemInput => ({
  code,
  factor,
  scale: 'sat5',
  text: { vi, en },
});

/** NN1, NN2: how often harassment or informal payments happened. */
const extent3: ScaleInput = {
  code: 'extent3',
  kind: 'ordinal',
  options: [
    { value: 1, label: { vi: 'Không có', en: 'None' } },
    { value: 2, label: { vi: 'Có một số', en: 'Some' } },
    { value: 3, label: { vi: 'Nhiều', en: 'Many' } },
  ],
};

// The services block is asked only of households that carried out a procedure (KN1 = 1).
const afterProcedure = { item: 'KN1', equals: 1 };
const service = (code: string, factor: string, vi: string, en: string): ItemInput => ({
  ...criterion(code, factor, vi, en),
  askIf: afterProcedure,
});

const policies: [vi: string, en: string][] = [
  ['phát triển kinh tế', 'economic development'],
  ['y tế, chăm sóc sức khỏe', 'health care'],
  ['giáo dục phổ thông', 'general education'],
  ['an ninh, trật tự', 'public order'],
  ['giao thông đường bộ', 'road transport'],
  ['điện sinh hoạt', 'household electricity'],
  ['nước sinh hoạt', 'household water'],
  ['an sinh xã hội', 'social security'],
];

const priorities: [vi: string, en: string][] = [
  ['Cung cấp thông tin chính sách', 'Information on policies'],
  ['Lấy ý kiến người dân về chính sách', 'Consulting people on policies'],
  ['Tiếp nhận, xử lý góp ý, phản ánh', 'Handling feedback'],
  ['Đơn giản hóa thủ tục hành chính', 'Simpler procedures'],
  ['Rút ngắn thời gian giải quyết', 'Shorter processing times'],
  ['Giảm chi phí thực hiện thủ tục', 'Lower costs of procedures'],
  ['Thái độ, năng lực của công chức', 'Civil servants’ attitude and skill'],
  ['Cơ sở vật chất nơi tiếp nhận hồ sơ', 'Premises and equipment'],
  ['Dịch vụ công trực tuyến', 'Online public services'],
  ['Phòng, chống tiêu cực, nhũng nhiễu', 'Preventing harassment and informal payments'],
];

export const sipas2023: InstrumentInput = {
  code: 'sipas-2023',
  name: {
    vi: 'Khảo sát sự hài lòng của người dân về chính sách và dịch vụ hành chính công (hộ gia đình)',
    en: 'Household survey of satisfaction with policies and administrative services',
  },
  scales: [sat5, yesno, interest3, extent3, priority3, text, sex, age, education, occupation],
  blocks: [
    { code: 'CS', name: { vi: 'Chính sách', en: 'Policies' } },
    { code: 'DV', name: { vi: 'Dịch vụ hành chính công', en: 'Administrative services' } },
  ],
  factors: [
    {
      code: 'CSA',
      block: 'CS',
      name: { vi: 'Trách nhiệm giải trình về chính sách', en: 'Accountability' },
    },
    { code: 'CSB', block: 'CS', name: { vi: 'Sự tham gia của người dân', en: 'Participation' } },
    { code: 'CSC', block: 'CS', name: { vi: 'Chất lượng chính sách', en: 'Policy quality' } },
    { code: 'CSD', block: 'CS', name: { vi: 'Kết quả thực hiện chính sách', en: 'Results' } },
    { code: 'TC', block: 'DV', name: { vi: 'Tiếp cận dịch vụ', en: 'Access to the service' } },
    { code: 'TT', block: 'DV', name: { vi: 'Thủ tục hành chính', en: 'Administrative procedure' } },
    {
      code: 'CC',
      block: 'DV',
      name: { vi: 'Công chức trực tiếp giải quyết công việc', en: 'The civil servant' },
    },
    { code: 'KQ', block: 'DV', name: { vi: 'Kết quả giải quyết công việc', en: 'The result' } },
    {
      code: 'PA',
      block: 'DV',
      name: { vi: 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', en: 'Feedback handling' },
    },
  ],
  items: [
    criterion(
      'CS1',
      'CSA',
      'Thông tin về chính sách được cung cấp qua nhiều kênh',
      'Information on policies is given through many channels',
    ),
    criterion(
      'CS2',
      'CSA',
      'Thông tin về chính sách đầy đủ, dễ hiểu',
      'Information on policies is complete and easy to understand',
    ),
    criterion(
      'CS3',
      'CSB',
      'Người dân được lấy ý kiến về chính sách qua nhiều kênh',
      'People are consulted on policies through many channels',
    ),
    criterion(
      'CS4',
      'CSB',
      'Có nhiều cách để góp ý về kết quả, tác động của chính sách',
      'There are many ways to give feedback on the results and impact of policies',
    ),
    ...policies.map(([vi, en], i) =>
      criterion(`CS${i + 5}`, 'CSC', `Chính sách ${vi} phù hợp`, `The ${en} policy is appropriate`),
    ),
    criterion(
      'CS13',
      'CSD',
      'Kinh tế hộ gia đình được cải thiện',
      'The household economy has improved',
    ),
    criterion('CS14', 'CSD', 'Chất lượng cuộc sống được cải thiện', 'Quality of life has improved'),
    ...policies.map(([vi, en], i): ItemInput => ({
      code: `QT${i + 1}`,
      scale: 'interest3',
      text: {
        vi: `Mức độ quan tâm đến chính sách ${vi}`,
        en: `Interest in the ${en} policy`,
      },
    })),
    {
      code: 'KN1',
      scale: 'yesno',
      text: {
        vi: 'Trong 3 năm qua, hộ gia đình Ông/Bà có thực hiện thủ tục hành chính không?',
        en: 'In the last three years, did your household carry out an administrative procedure?',
      },
    },
    service(
      'DV1',
      'TC',
      'Thông tin về thủ tục hành chính dễ tìm hiểu',
      'Information on procedures is easy to get',
    ),
    service('DV2', 'TC', 'Nơi tiếp nhận hồ sơ có biển chỉ dẫn rõ ràng', 'Clear signage'),
    service('DV3', 'TC', 'Nơi tiếp nhận hồ sơ sạch sẽ', 'Clean premises'),
    service(
      'DV4',
      'TC',
      'Trang thiết bị phục vụ đầy đủ, tốt',
      'Enough equipment, in good condition',
    ),
    service(
      'DV5',
      'TT',
      'Thủ tục hành chính được niêm yết công khai, dễ thấy',
      'The procedure is posted visibly',
    ),
    service(
      'DV6',
      'TT',
      'Thành phần hồ sơ phải nộp là đúng quy định',
      'The documents required were as regulated',
    ),
    service('DV7', 'TT', 'Phí, lệ phí phải nộp là đúng quy định', 'The fees were as regulated'),
    service(
      'DV8',
      'TT',
      'Thời hạn giải quyết là đúng quy định',
      'The processing time was as regulated',
    ),
    service('DV9', 'CC', 'Công chức có thái độ lịch sự', 'The civil servant was polite'),
    service(
      'DV10',
      'CC',
      'Công chức trả lời, giải thích kịp thời, đầy đủ',
      'The civil servant answered promptly and fully',
    ),
    service(
      'DV11',
      'CC',
      'Công chức hướng dẫn đủ để hoàn thiện hồ sơ trong một lần',
      'The guidance was enough to complete the file after one round',
    ),
    service(
      'DV12',
      'CC',
      'Công chức tuân thủ đúng quy định',
      'The civil servant followed the regulations',
    ),
    service('DV13', 'CC', 'Công chức tận tụy', 'The civil servant was dedicated'),
    service('DV14', 'KQ', 'Kết quả được trả đúng hẹn', 'The result came on time'),
    service('DV15', 'KQ', 'Kết quả đầy đủ, chính xác', 'The result was complete and accurate'),
    service('DV16', 'KQ', 'Kết quả công bằng', 'The result was fair'),
    service(
      'DV17',
      'PA',
      'Có các kênh góp ý, phản ánh dễ thực hiện',
      'There were easy channels for feedback',
    ),
    service(
      'DV18',
      'PA',
      'Góp ý, phản ánh được xử lý đúng quy định',
      'Feedback was handled as regulated',
    ),
    service(
      'DV19',
      'PA',
      'Kết quả xử lý góp ý, phản ánh được thông báo kịp thời',
      'The outcome of feedback was notified promptly',
    ),
    {
      code: 'NN1',
      scale: 'extent3',
      askIf: afterProcedure,
      text: {
        vi: 'Công chức có gây phiền hà, nhũng nhiễu không?',
        en: 'Did civil servants harass you?',
      },
    },
    {
      code: 'NN2',
      scale: 'extent3',
      askIf: afterProcedure,
      text: {
        vi: 'Ông/Bà có phải chi thêm khoản tiền ngoài quy định không?',
        en: 'Did you have to make informal payments?',
      },
    },
    {
      code: 'HL',
      scale: 'sat5',
      text: {
        vi: 'Nhìn chung, Ông/Bà hài lòng với chính sách và dịch vụ hành chính công',
        en: 'Overall, you are satisfied with policies and administrative services',
      },
    },
    ...priorities.map(([vi, en], i): ItemInput => ({
      code: `UT${i + 1}`,
      scale: 'priority3',
      text: { vi: `Mức độ cần ưu tiên cải thiện: ${vi}`, en: `Priority to improve: ${en}` },
    })),
    {
      code: 'YK',
      scale: 'text',
      text: { vi: 'Ý kiến khác của Ông/Bà', en: 'Other comments' },
    },
    { code: 'SEX', scale: 'sex', text: { vi: 'Giới tính', en: 'Sex' } },
    { code: 'AGE', scale: 'age', text: { vi: 'Độ tuổi', en: 'Age' } },
    { code: 'EDU', scale: 'education', text: { vi: 'Trình độ học vấn', en: 'Education' } },
    { code: 'JOB', scale: 'occupation', text: { vi: 'Nghề nghiệp', en: 'Occupation' } },
  ],
  overallItem: 'HL',
};
