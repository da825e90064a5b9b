// earlyStoppingPatience as a small state machine: the run stops after `patience` evaluations in a row that did
// not beat the best validation loss so far. Patience 0 never stops.
export class EarlyStopping {
  private best = Number.POSITIVE_INFINITY;
  private withoutImprovement = 0;

  constructor(private readonly patience: number) {}

  /** Records one evaluation; true when the run should stop here. */
  observe(validationLoss: number): boolean {
    if (validationLoss < this.best) {
      this.best = validationLoss;
      this.withoutImprovement = 0;
      return false;
    }
    this.withoutImprovement++;
    return this.patience > 0 && this.withoutImprovement >= this.patience;
  }
}
