// The officials' survey instruments the service ships (par-cycle.md §5). An administrator can
// add others as data.
import { officialInstrumentSchema, type OfficialInstrument } from '../official-instrument.ts';
import { parOfficials2020 } from './par-officials-2020.ts';

export const builtinOfficialInstruments: readonly OfficialInstrument[] = [parOfficials2020].map(
  (definition) => officialInstrumentSchema.parse(definition),
);
