// The learning rate at an optimizer step: linear warmup to the peak, then cosine or linear decay to the
// minimum at the last step (or constant). Pure; step counts from 0.
export interface LearningRateSchedule {
  learningRate: number;
  minimumLearningRate: number;
  warmupSteps: number;
  decay: "cosine" | "linear" | "constant";
  steps: number;
}

export function learningRateAt(step: number, schedule: LearningRateSchedule): number {
  const { learningRate: peak, minimumLearningRate: minimum, warmupSteps, decay, steps } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  if (decay === "constant") return peak;
  const decaySteps = Math.max(1, steps - warmupSteps - 1);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  const factor = decay === "cosine" ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
  return minimum + (peak - minimum) * factor;
}
