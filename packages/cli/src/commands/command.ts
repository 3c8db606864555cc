import type { SpoorConfig } from '../config/spoor-settings.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves with the process exit code; long-running commands resolve when they stop. */
  run(args: string[], settings: SpoorConfig): Promise<number>;
}
