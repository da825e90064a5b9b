// What the trainer needs of a head: its parameters as one flat vector (the optimizer updates them in place),
// class probabilities for a row, and the loss with its gradient for a batch.
import type { FeatureRow } from "./feature-row.js";

export interface ClassifierModel {
  readonly classCount: number;
  /** Every trainable number, updated in place by the optimizer. */
  readonly parameters: Float64Array;
  probabilities(row: FeatureRow): Float64Array;
  /**
   * Mean cross-entropy over the batch plus (l2 / 2)·‖weights‖² (biases are not penalised); its gradient with
   * respect to `parameters` is written into `gradient` (overwritten, same length).
   */
  lossAndGradient(
    rows: readonly FeatureRow[],
    labels: readonly number[],
    l2: number,
    gradient: Float64Array,
  ): number;
}
