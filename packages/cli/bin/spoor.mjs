#!/usr/bin/env node
// `npx spoor …` from the repository. Spoor runs its TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
