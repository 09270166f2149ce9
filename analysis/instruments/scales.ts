// Scales shared by the built-in instruments (spec §4.1). Option values are the codes stored
// and exchanged; the labels are what a respondent reads.
import type { InstrumentInput } from '../instrument.ts';

type ScaleInput = InstrumentInput['scales'][number];

export const sat5: ScaleInput = {
  code: 'sat5',
  kind: 'ordinal',
  options: [
    { value: 1, label: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' } },
    { value: 2, label: { vi: 'Không hài lòng', en: 'Dissatisfied' } },
    { value: 3, label: { vi: 'Bình thường', en: 'Neutral' } },
    { value: 4, label: { vi: 'Hài lòng', en: 'Satisfied' } },
    { value: 5, label: { vi: 'Rất hài lòng', en: 'Very satisfied' } },
  ],
};

export const yesno: ScaleInput = {
  code: 'yesno',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Có', en: 'Yes' } },
    { value: 0, label: { vi: 'Không', en: 'No' } },
  ],
};

export const interest3: ScaleInput = {
  code: 'interest3',
  kind: 'ordinal',
  options: [
    { value: 1, label: { vi: 'Không quan tâm', en: 'Not interested' } },
    { value: 2, label: { vi: 'Quan tâm một chút', en: 'Somewhat interested' } },
    { value: 3, label: { vi: 'Rất quan tâm', en: 'Very interested' } },
  ],
};

export const priority3: ScaleInput = {
  code: 'priority3',
  kind: 'ordinal',
  options: [
    { value: 1, label: { vi: 'Rất nhiều', en: 'Very much' } },
    { value: 2, label: { vi: 'Nhiều', en: 'Much' } },
    { value: 3, label: { vi: 'Ít', en: 'Little' } },
  ],
};

export const sex: ScaleInput = {
  code: 'sex',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Nam', en: 'Male' } },
    { value: 2, label: { vi: 'Nữ', en: 'Female' } },
  ],
};

export const age: ScaleInput = {
  code: 'age',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Từ 18 đến 25 tuổi', en: '18-25' } },
    { value: 2, label: { vi: 'Từ 26 đến 34 tuổi', en: '26-34' } },
    { value: 3, label: { vi: 'Từ 35 đến 49 tuổi', en: '35-49' } },
    { value: 4, label: { vi: 'Từ 50 đến 60 tuổi', en: '50-60' } },
    { value: 5, label: { vi: 'Trên 60 tuổi', en: 'Over 60' } },
  ],
};

export const education: ScaleInput = {
  code: 'education',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Tiểu học', en: 'Primary school' } },
    { value: 2, label: { vi: 'Trung học cơ sở', en: 'Lower secondary' } },
    { value: 3, label: { vi: 'Trung học phổ thông', en: 'Upper secondary' } },
    { value: 4, label: { vi: 'Cao đẳng, đại học', en: 'College or university' } },
    { value: 5, label: { vi: 'Trên đại học', en: 'Postgraduate' } },
  ],
};

export const occupation: ScaleInput = {
  code: 'occupation',
  kind: 'choice',
  options: [
    { value: 1, label: { vi: 'Cán bộ, công chức, viên chức', en: 'Public employee' } },
    { value: 2, label: { vi: 'Người làm kinh doanh', en: 'Business' } },
    { value: 3, label: { vi: 'Nông dân, ngư dân', en: 'Farmer or fisher' } },
    { value: 4, label: { vi: 'Công nhân, người lao động', en: 'Worker' } },
    { value: 5, label: { vi: 'Học sinh, sinh viên', en: 'Student' } },
    { value: 6, label: { vi: 'Nghỉ hưu', en: 'Retired' } },
    { value: 7, label: { vi: 'Khác', en: 'Other' } },
  ],
};

export const text: ScaleInput = { code: 'text', kind: 'text', options: [] };
