// UploadDataset and ListDatasets: datasets in Strata's own object store under datasets/, through the API's port
// and signature. The browser console needs them: the embedded S3 endpoint is another origin (no CORS) and
// signs with another scope, and a browser session holds only keys scoped to this API (docs/architecture.md).
import { ConflictException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  ListDatasetsRequest,
  ListDatasetsResponse,
  UploadDatasetRequest,
  UploadDatasetResponse,
} from "../../protocol/generated/strata-types.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";

const datasetPrefix = "datasets/";

export function datasetStoreOperations(objectStores: ObjectStoreResolver): Record<string, OperationHandler> {
  const uriOf = (key: string) => `s3://${objectStores.defaultBucket}/${key}`;
  return {
    UploadDataset: operation<UploadDatasetRequest, UploadDatasetResponse>(async (_context, input) => {
      // The name's pattern (generated validation) admits no "/" and no leading ".": one object under datasets/.
      const key = `${datasetPrefix}${input.datasetName}`;
      const store = objectStores.defaultStore;
      // A job's lineage names its data by URI (with a hash); replacing the object under it would lose data.
      if (await store.head(key)) {
        throw new ConflictException(
          `A dataset named ${input.datasetName} already exists (${uriOf(key)}); upload it under another name.`,
        );
      }
      await store.put(key, input.body, { contentType: "application/x-ndjson" });
      return { s3Uri: uriOf(key), bytes: input.body.length };
    }),
    ListDatasets: operation<ListDatasetsRequest, ListDatasetsResponse>(async () => {
      const datasets: ListDatasetsResponse["datasets"] = [];
      for await (const object of objectStores.defaultStore.list(datasetPrefix)) {
        const name = object.key.slice(datasetPrefix.length);
        if (name !== "") datasets.push({ name, s3Uri: uriOf(object.key), bytes: object.size });
      }
      return { datasets };
    }),
  };
}
