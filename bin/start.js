#!/usr/bin/env node
// `npm start`: the HTTP server (api/main.ts), run through tsx like the command.
import { register } from 'tsx/esm/api';

register();
await import('../api/main.ts');
