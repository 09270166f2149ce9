#!/usr/bin/env node
// The `sipas` command: api/cli/main.ts, compiled (bin/compiled.js says when it is not).
import { run } from './compiled.js';

await run('api/cli/main');
