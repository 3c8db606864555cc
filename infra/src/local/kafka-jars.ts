import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spoorCacheDir } from './cache-dir.js';

export const KAFKA_VERSION = '3.9.2';
const POM = join(dirname(fileURLToPath(import.meta.url)), '../../kafka/pom.xml');

/**
 * Resolves Apache Kafka and a logging binding from Maven Central into the cache (never into the repo)
 * and returns the directory of jars. A second call is free.
 */
export function resolveKafkaJars(cacheDir = spoorCacheDir()): string {
  const libs = join(cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) return libs;
  const staging = `${libs}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`could not resolve Kafka ${KAFKA_VERSION} from Maven Central (is mvn installed?): ${(err as Error).message}`);
  }
  // Rename last so a half-finished download is never mistaken for a complete one.
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(dirname(libs), { recursive: true });
  renameSync(staging, libs);
  return libs;
}
