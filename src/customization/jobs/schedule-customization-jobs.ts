// The queue's policy, as a pure function: which queued jobs start now, given the capacity. Oldest first (the
// order they were created in), never more than maxConcurrent training at once.
export interface QueuedJob {
  jobId: string;
  creationTime: Date;
}

export function jobsToStart(queued: readonly QueuedJob[], running: number, maxConcurrent: number): string[] {
  const free = Math.max(0, maxConcurrent - running);
  return [...queued]
    .sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime() || a.jobId.localeCompare(b.jobId))
    .slice(0, free)
    .map((job) => job.jobId);
}
