/**
 * Runs `run` every `intervalMs`, one run at a time: the next is scheduled when the last one ends,
 * so a slow run delays the loop instead of overlapping itself. The timer never keeps the process
 * alive; `stop` waits for a run in progress.
 */
export function createIntervalLoop(
  run: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function schedule(): void {
    timer = setTimeout(() => {
      running = run()
        .catch(onError)
        .finally(() => {
          running = null;
          if (timer) schedule();
        });
    }, intervalMs);
    timer.unref?.();
  }

  return {
    start(): void {
      if (!timer) schedule();
    },
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
