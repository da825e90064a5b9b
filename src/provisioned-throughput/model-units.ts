// What one model unit means for a model on this host: measured when a reservation first loads the model
// (decode speed of one sequence alone and of `unitsPerCore` sequences batched on one core), one unit being one
// of those batched sequences — so a unit guarantees its share of the core's aggregate, in tokens per minute.
import type {
  EngineModel,
  MeasuredCapacity,
  ReservableEngine,
} from "../inference/engine/inference-engine.js";

export interface ModelUnit {
  /** Output tokens per minute one model unit guarantees. */
  tokensPerMinute: number;
  measurement: MeasuredCapacity;
  measuredAt: Date;
}

export function modelUnitFrom(measurement: MeasuredCapacity, unitsPerCore: number): number {
  return Math.max(1, Math.floor((measurement.aggregateTokensPerSecond * 60) / unitsPerCore));
}

/** Measures each model file once per server run; the catalog and the reservations read the same numbers. */
export class ModelUnitMeter {
  private readonly units = new Map<string, Promise<ModelUnit>>();
  private readonly measured = new Map<string, ModelUnit>();

  constructor(
    private readonly engine: ReservableEngine,
    private readonly unitsPerCore: number,
  ) {}

  measure(model: EngineModel): Promise<ModelUnit> {
    let measuring = this.units.get(model.filePath);
    if (!measuring) {
      measuring = this.engine
        .measureCapacity(
          // The base weights alone; on the reservation's capacity when given (measured where it will run).
          {
            modelId: model.modelId,
            filePath: model.filePath,
            ...(model.capacity ? { capacity: model.capacity } : {}),
          },
          { threads: 1, sequences: this.unitsPerCore },
        )
        .then((measurement) => {
          const unit = {
            tokensPerMinute: modelUnitFrom(measurement, this.unitsPerCore),
            measurement,
            measuredAt: new Date(),
          };
          this.measured.set(model.filePath, unit);
          return unit;
        });
      measuring.catch(() => this.units.delete(model.filePath));
      this.units.set(model.filePath, measuring);
    }
    return measuring;
  }

  /** The unit of a model already measured (the catalog does not load models to show it). */
  known(filePath: string): ModelUnit | undefined {
    return this.measured.get(filePath);
  }
}
