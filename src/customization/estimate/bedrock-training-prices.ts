// Bedrock's published model-customization training prices (USD per 1,000 trained tokens), for the dry run's
// comparison. Only the figures the team's API reference has a source for (bedrock-api.md §6.2): a copy of
// aws.amazon.com/bedrock/pricing dated 2024-03-13. Newer models' training prices were not found; none is guessed.
export interface BedrockTrainingPrice {
  modelId: string;
  modelName: string;
  pricePer1kTokens: number;
  source: string;
  asOf: string;
}

const source =
  "aws.amazon.com/bedrock/pricing as copied in github.com/becloudready/beautiful-jekyll _posts/2024-03-13-aws-bedrock-pricing.md (bedrock-api.md §6.2)";

export const bedrockTrainingPrices: readonly BedrockTrainingPrice[] = [
  {
    modelId: "cohere.command-text-v14:7:4k",
    modelName: "Cohere Command",
    pricePer1kTokens: 0.004,
    source,
    asOf: "2024-03-13",
  },
  {
    modelId: "cohere.command-light-text-v14:7:4k",
    modelName: "Cohere Command Light",
    pricePer1kTokens: 0.001,
    source,
    asOf: "2024-03-13",
  },
  {
    modelId: "meta.llama2-13b-v1:0:4k",
    modelName: "Meta Llama 2 13B",
    pricePer1kTokens: 0.00149,
    source,
    asOf: "2024-03-13",
  },
  {
    modelId: "meta.llama2-70b-v1:0:4k",
    modelName: "Meta Llama 2 70B",
    pricePer1kTokens: 0.00799,
    source,
    asOf: "2024-03-13",
  },
];
