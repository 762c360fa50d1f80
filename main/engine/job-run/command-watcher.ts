// The build script's commands as they run: a kept job records the one that failed.

import type { RunContext } from '../contracts.js';

/** Notes the last `$ command` line the build script printed: the command that failed, when the job failed. */
export class CommandWatcher {
  last: string | undefined;

  /** The run as the build's runScript sees it: every build log line passes by here first. */
  observe(run: RunContext): RunContext {
    return {
      ...run,
      emit: (event) => {
        if (event.type === 'log' && event.source === 'build') {
          const text = event.text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
          if (text.startsWith('$ ')) this.last = text;
        }
        run.emit(event);
      },
    };
  }
}
