// The instruments the service ships (spec §4). An administrator can add others as data.
import { instrumentSchema, type Instrument } from '../instrument.ts';
import { sipas2017 } from './sipas-2017.ts';
import { sipas2023 } from './sipas-2023.ts';

export const builtinInstruments: readonly Instrument[] = [sipas2017, sipas2023].map((definition) =>
  instrumentSchema.parse(definition),
);
