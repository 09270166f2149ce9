#!/usr/bin/env node
// The `sipas` command. TypeScript runs through tsx (a dependency), so the command works
// right after `npm install`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../api/cli/main.ts');
