import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spoorCacheDir } from '../local/cache-dir.js';

export interface InfraState {
  kafka?: { pid: number; brokers: string; dir: string };
  redis?: { pid: number; url: string; dir: string };
}

export const runDir = () => join(spoorCacheDir(), 'run');
const stateFile = () => join(runDir(), 'infra.json');

export function readInfraState(): InfraState {
  return existsSync(stateFile()) ? (JSON.parse(readFileSync(stateFile(), 'utf8')) as InfraState) : {};
}

export function writeInfraState(state: InfraState): void {
  mkdirSync(runDir(), { recursive: true });
  if (!state.kafka && !state.redis) rmSync(stateFile(), { force: true });
  else writeFileSync(stateFile(), JSON.stringify(state, null, 2));
}
