import { homedir } from 'node:os';
import { join } from 'node:path';

/** Downloads (Kafka jars) and run state live here, outside the repository. */
export function spoorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOOR_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'spoor');
}
