#!/usr/bin/env node
// `npm start`: the HTTP server (api/main.ts), compiled like the command (bin/compiled.js).
import { run } from './compiled.js';

await run('api/main');
